package io.chatstream.provider.testkit;

import io.chatstream.provider.BotConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Bots for provider tests: the real bot mapping, built from properties without Quarkus. */
public final class TestBots {

    /** The bots as the connector maps them ({@code gateway.bots.<bot>.*}). */
    @ConfigMapping(prefix = "gateway")
    public interface Bots {
        Map<String, BotConfig> bots();
    }

    private TestBots() {}

    /** One bot named {@code bot} with these options (keys without the {@code gateway.bots.bot.} prefix). */
    public static BotConfig bot(String provider, Map<String, String> options) {
        Map<String, String> properties = new HashMap<>();
        properties.put("gateway.bots.bot.provider", provider);
        options.forEach((k, v) -> properties.put("gateway.bots.bot." + k, v));
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 250))
                .withMapping(Bots.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .build();
        return config.getConfigMapping(Bots.class).bots().get("bot");
    }
}
