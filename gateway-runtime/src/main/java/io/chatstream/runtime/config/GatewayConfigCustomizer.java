package io.chatstream.runtime.config;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.SmallRyeConfigBuilderCustomizer;
import java.util.List;
import java.util.Map;

/**
 * How a service reads the configuration that all services share (one ConfigMap, one local
 * properties file): unknown keys under {@code gateway.} fail the start-up, naming the key, except in
 * the namespaces of the other services and, unless the service reads them, in the vendors' own bot
 * options. A service registers its subclass in
 * {@code META-INF/services/io.smallrye.config.SmallRyeConfigBuilderCustomizer}.
 *
 * <p>Keys that moved into a service's namespace are still read under their former names when the
 * new name is not set, so the environment variables of existing deployments keep working
 * ({@code GATEWAY_API_KEYS} for {@code gateway.ingress.api-keys}). Environment variables are never
 * reported as unknown (SmallRye cannot map an underscore back to a dot or a dash), so a former name
 * in a properties file fails as unknown: files use the new names.
 */
public abstract class GatewayConfigCustomizer implements SmallRyeConfigBuilderCustomizer {

    /** Every service's namespace under {@code gateway.}. */
    public static final List<String> SERVICES = List.of("ingress", "session", "connector");

    private final String service;
    private final boolean readsVendorOptions;
    private final Map<String, String> formerPrefixes;

    /**
     * @param service this service's namespace, one of {@link #SERVICES}
     * @param readsVendorOptions whether this service maps every vendor's bot options (the
     *     connector) and so may report a misspelt one
     * @param formerPrefixes a prefix of this service's keys → the prefix they had before
     */
    protected GatewayConfigCustomizer(String service, boolean readsVendorOptions, Map<String, String> formerPrefixes) {
        if (!SERVICES.contains(service)) {
            throw new IllegalArgumentException("not a service namespace: " + service);
        }
        this.service = service;
        this.readsVendorOptions = readsVendorOptions;
        this.formerPrefixes = Map.copyOf(formerPrefixes);
    }

    @Override
    public void configBuilder(SmallRyeConfigBuilder builder) {
        SERVICES.stream()
                .filter(other -> !other.equals(service))
                .forEach(other -> builder.withMappingIgnore("gateway." + other + ".**"));
        if (!readsVendorOptions) {
            builder.withMappingIgnore("gateway.bots.*.*");
            // X
        }
        builder.withInterceptors(new FormerNames(formerPrefixes));
    }

    /**
     * Reads a key under its former name when its own is not set, or set only by a weaker source. Only values: the names it lists
     * are the configuration's own, so a former name never shows up as an extra, unknown key.
     */
    private record FormerNames(Map<String, String> formerPrefixes) implements ConfigSourceInterceptor {

        @Override
        public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
            ConfigValue value = context.proceed(name);
            for (Map.Entry<String, String> prefix : formerPrefixes.entrySet()) {
                if (name.startsWith(prefix.getKey())) {
                    ConfigValue former = context.proceed(
                            prefix.getValue() + name.substring(prefix.getKey().length()));
                    // The former name wins only from a stronger source: an environment variable
                    // set today must still beat a default or the service's own properties file.
                    if (former != null
                            && (value == null || former.getConfigSourceOrdinal() > value.getConfigSourceOrdinal())) {
                        return former.withName(name);
                    }
                    break;
                }
            }
            return value;
        }
    }
}
