package io.chatstream.session.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatstream.runtime.config.GatewayConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** application.properties with the test profile's keys of every service, validated as Quarkus does. */
class SessionConfigTest {

    private static SmallRyeConfig start(String key, String value) throws Exception {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder();
        builder.withProfile("test");
        builder.withConverter(Duration.class, 200, new DurationConverter());
        builder.withConverter(MemorySize.class, 200, new MemorySizeConverter());
        builder.withMapping(SessionConfig.class).withMapping(GatewayConfig.class);
        builder.withSources(new PropertiesConfigSource(
                SessionConfigTest.class.getClassLoader().getResource("application.properties"), 250));
        builder.withSources(new PropertiesConfigSource(Map.of(key, value), "typo", 400));
        new SessionConfigCustomizer().configBuilder(builder);
        return builder.build();
    }

    @Test
    void keysOfTheOtherServicesDoNotStopIt() throws Exception {
        SessionConfig config = start("gateway.session.max-connections", "7").getConfigMapping(SessionConfig.class);

        assertThat(config.maxConnections()).isEqualTo(7);
        assertThat(config.mergeAfterFrames()).isEqualTo(128);
    }

    @Test
    void aMisspeltSessionKeyStopsItNamingTheKey() {
        assertThatThrownBy(() -> start("gateway.session.replay-windw", "5m"))
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining("gateway.session.replay-windw");
    }

    @Test
    void aKeyUnderItsFormerNameInAFileStopsIt() {
        assertThatThrownBy(() -> start("gateway.stream.replay-window", "5m"))
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining("gateway.stream.replay-window");
    }
}
