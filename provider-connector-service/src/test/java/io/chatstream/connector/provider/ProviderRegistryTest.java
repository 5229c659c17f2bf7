package io.chatstream.connector.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatstream.connector.config.TestConfigs;
import io.chatstream.provider.ChatProvider;
import io.smallrye.mutiny.Multi;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProviderRegistryTest {

    private final ChatProvider demo = call -> Multi.createFrom().empty();
    private final ChatProvider openai = call -> Multi.createFrom().empty();
    private final Map<String, ChatProvider> registered = Map.of("demo", demo, "openai", openai);

    @Test
    void servesEveryRegisteredProviderByDefault() {
        ProviderRegistry registry = new ProviderRegistry(registered, Optional.empty(), Map.of());
        assertThat(registry.served()).containsOnlyKeys("demo", "openai");
        assertThat(registry.find("openai")).containsSame(openai);
    }

    @Test
    void servesOnlyTheConfiguredProviders() {
        ProviderRegistry registry = new ProviderRegistry(registered, Optional.of(List.of(" openai")), Map.of());
        assertThat(registry.served()).containsOnlyKeys("openai");
        assertThat(registry.find("demo")).isEmpty();
    }

    @Test
    void anUnknownConfiguredProviderFailsStartUpWithAClearMessage() {
        assertThatThrownBy(
                        () -> new ProviderRegistry(registered, Optional.of(List.of("openai", "lingoblocks")), Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unknown provider 'lingoblocks'")
                .hasMessageContaining("[demo, openai]");
    }

    @Test
    void aBotOfAProviderThisBuildLacksDoesNotStopStartUp() {
        var bots = TestConfigs.fromProperties(Map.of("gateway.bots.support.provider", "chatbotkit"))
                .bots();
        assertThat(new ProviderRegistry(registered, Optional.empty(), bots).served())
                .hasSize(2);
    }
}
