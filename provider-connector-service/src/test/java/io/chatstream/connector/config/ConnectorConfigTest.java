package io.chatstream.connector.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.provider.BotConfig;
import io.chatstream.provider.demo.DemoConfig;
import io.chatstream.provider.testkit.TestBots;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectorConfigTest {

    @Test
    void aBotCanBeDefinedFromTheEnvironmentAlone() {
        ConnectorConfig config = TestConfigs.fromEnv(Map.of(
                "GATEWAY_BOTS_SUPPORT_PROVIDER", "openai",
                "GATEWAY_BOTS_SUPPORT_URL", "http://127.0.0.1:9101",
                "GATEWAY_BOTS_SUPPORT_API_KEY", "k-1",
                "GATEWAY_BOTS_SUPPORT_IDLE_TIMEOUT", "5s",
                "GATEWAY_BOTS_SUPPORT_MAX_CONCURRENCY", "3",
                "GATEWAY_CONNECTOR_PROVIDERS", "openai,demo",
                "GATEWAY_CONNECTOR_MAX_QUEUED", "9",
                "GATEWAY_CONNECTOR_INSTANCE_ID", "connector-2",
                "GATEWAY_BOTS_SUPPORT_MAX_CONCURRENCY_PER_TENANT", "2"));

        assertThat(config.bots()).containsOnlyKeys("support");
        BotConfig support = config.bots().get("support");
        assertThat(support.provider()).isEqualTo("openai");
        assertThat(support.url()).contains("http://127.0.0.1:9101");
        assertThat(support.apiKey()).contains("k-1");
        assertThat(support.idleTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(support.maxConcurrency()).isEqualTo(3);
        assertThat(config.connector().providers()).contains(java.util.List.of("openai", "demo"));
        assertThat(config.connector().maxQueued()).isEqualTo(9);
        assertThat(config.connector().instanceId()).contains("connector-2");
        assertThat(support.maxConcurrencyPerTenant()).contains(2);
    }

    @Test
    void defaultsApplyAndKeysOfOtherServicesAreIgnored() {
        ConnectorConfig config = TestConfigs.fromProperties(Map.of(
                "gateway.bots.demo.provider", "demo",
                "gateway.ingress.api-keys", "local-dev-key",
                "gateway.stream-token.secret", "s3cret",
                "gateway.cors.origins", "http://localhost"));

        BotConfig demo = config.bots().get("demo");
        assertThat(demo.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(demo.firstTokenTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(demo.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(demo.maxRetries()).isEqualTo(2);
        assertThat(demo.maxConcurrency()).isEqualTo(64);
        // The demo's own options (DemoConfig): none set, so its defaults apply.
        assertThat(TestBots.options(DemoConfig.class, Map.of()).bots()).isEmpty();
        assertThat(config.connector().providers()).isEmpty();
        assertThat(config.connector().maxQueued()).isEqualTo(2000);
        assertThat(config.connector().handOffTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.connector().drainTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.connector().instanceId()).isEmpty();
        assertThat(demo.maxConcurrencyPerTenant()).isEmpty();
    }
}
