package io.chatstream.connector.config;

import io.chatstream.provider.BotConfig;
import io.chatstream.provider.testkit.TestBots;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;

/** Builds the real config mapping from properties or environment variables, without Quarkus. */
public final class TestConfigs {

    private TestConfigs() {}

    public static ConnectorConfig fromProperties(Map<String, String> properties) {
        return build(new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(properties, "test", 250)));
    }

    public static ConnectorConfig fromEnv(Map<String, String> env) {
        return build(new SmallRyeConfigBuilder().withSources(new EnvConfigSource(env, 300)));
    }

    /** One bot named {@code bot} with these options (keys without the {@code gateway.bots.bot.} prefix). */
    public static BotConfig bot(String provider, Map<String, String> options) {
        return TestBots.bot(provider, options);
    }

    private static ConnectorConfig build(SmallRyeConfigBuilder builder) {
        SmallRyeConfig config = builder.withMapping(ConnectorConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                // As in application.properties: keys of other services are not errors.
                .withDefaultValue("smallrye.config.mapping.validate-unknown", "false")
                .build();
        return config.getConfigMapping(ConnectorConfig.class);
    }
}
