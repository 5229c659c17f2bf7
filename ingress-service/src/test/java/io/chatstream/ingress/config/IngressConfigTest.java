package io.chatstream.ingress.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatstream.runtime.config.GatewayConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ingress's own application.properties (test profile, which holds keys of the other services),
 * read as Quarkus reads it: through the customizer that the service registers.
 */
class IngressConfigTest {

    private static SmallRyeConfig read(Map<String, String> overrides) throws IOException {
        return new SmallRyeConfigBuilder()
                .withProfile("test")
                .addDiscoveredCustomizers()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(IngressConfig.class)
                .withMapping(GatewayConfig.class)
                .withSources(
                        new PropertiesConfigSource(IngressConfigTest.class.getResource("/application.properties"), 250))
                .withSources(new PropertiesConfigSource(overrides, "overrides", 400))
                .build();
    }

    @Test
    void theSharedKeysOfOtherServicesAreIgnored() throws IOException {
        SmallRyeConfig config = read(Map.of());

        assertThat(config.getConfigMapping(IngressConfig.class).apiKeys()).containsExactly("test-key-1", "test-key-2");
    }

    @Test
    void aMisspeltIngressKeyFailsNamingIt() {
        assertThatThrownBy(() -> read(Map.of("gateway.ingress.rate-limit.per-secnd", "5")))
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining("gateway.ingress.rate-limit.per-secnd");
    }

    @Test
    void aMisspeltSharedKeyFailsNamingIt() {
        assertThatThrownBy(() -> read(Map.of("gateway.stream-tokn.ttl", "5m")))
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining("gateway.stream-tokn.ttl");
    }
}
