package io.chatstream.connector.provider;

import io.chatstream.connector.config.ConnectorConfig;
import io.chatstream.provider.BotConfig;
import io.chatstream.provider.ChatProvider;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * The providers this instance serves, found by their {@code @Identifier} name: adding a provider
 * is adding a bean, with no switch to edit here. An unknown configured name fails start-up.
 */
@ApplicationScoped
public class ProviderRegistry {

    private static final Logger LOG = Logger.getLogger(ProviderRegistry.class);

    private final Map<String, ChatProvider> served;

    @Inject
    public ProviderRegistry(@Any Instance<ChatProvider> providers, ConnectorConfig config) {
        this(registered(providers), config.connector().providers(), config.bots());
    }

    ProviderRegistry(
            Map<String, ChatProvider> registered, Optional<List<String>> configured, Map<String, BotConfig> bots) {
        this.served = Collections.unmodifiableMap(resolve(registered, configured));
        bots.forEach((bot, cfg) -> {
            if (!registered.containsKey(cfg.provider())) {
                // Shared configuration: another deployment may serve it; this one never sees its requests.
                LOG.warnf("bot %s uses provider %s, which this build does not have", bot, cfg.provider());
            }
        });
        LOG.infof("serving providers %s", served.keySet());
    }

    /** The served providers by name, in configuration order. */
    public Map<String, ChatProvider> served() {
        return served;
    }

    public Optional<ChatProvider> find(String name) {
        return Optional.ofNullable(served.get(name));
    }

    static Map<String, ChatProvider> resolve(Map<String, ChatProvider> registered, Optional<List<String>> configured) {
        if (configured.isEmpty()) {
            return new TreeMap<>(registered);
        }
        Map<String, ChatProvider> result = new LinkedHashMap<>();
        for (String raw : configured.get()) {
            String name = raw.trim();
            ChatProvider provider = registered.get(name);
            if (provider == null) {
                throw new IllegalStateException("gateway.connector.providers names unknown provider '" + name
                        + "'; known providers: " + new TreeMap<>(registered).keySet());
            }
            result.put(name, provider);
        }
        if (result.isEmpty()) {
            throw new IllegalStateException("gateway.connector.providers is empty: nothing to serve");
        }
        return result;
    }

    private static Map<String, ChatProvider> registered(Instance<ChatProvider> providers) {
        Map<String, ChatProvider> byName = new TreeMap<>();
        for (Instance.Handle<ChatProvider> handle : providers.handles()) {
            handle.getBean().getQualifiers().stream()
                    .filter(Identifier.class::isInstance)
                    .map(q -> ((Identifier) q).value())
                    .findFirst()
                    .ifPresentOrElse(
                            name -> byName.put(name, handle.get()),
                            () -> LOG.warnf(
                                    "provider bean %s has no @Identifier and is ignored",
                                    handle.getBean().getBeanClass()));
        }
        return byName;
    }
}
