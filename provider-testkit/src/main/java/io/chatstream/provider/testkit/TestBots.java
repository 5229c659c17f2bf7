package io.chatstream.provider.testkit;

import io.chatstream.provider.BotConfig;
import io.chatstream.simulator.contract.BotOptions;
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
        Map<String, String> properties = new HashMap<>(options);
        properties.put("provider", provider);
        return mapping(Bots.class, properties).bots().get("bot");
    }

    /**
     * A vendor's own mapping ({@code OpenAiConfig} …) with these options for the bot named {@code
     * bot}; options it does not know (url, api-key …) are left to {@link #bot}.
     */
    public static <M> M options(Class<M> mapping, Map<String, String> options) {
        return mapping(mapping, options);
    }

    /** These options as a {@link io.chatstream.simulator.contract.ContractFixture} makes its provider from them. */
    public static BotOptions botOptions(Map<String, String> options) {
        return new BotOptions() {
            @Override
            public <M> M mapping(Class<M> type) {
                return options(type, options);
            }
        };
    }

    private static <M> M mapping(Class<M> mapping, Map<String, String> options) {
        Map<String, String> properties = new HashMap<>();
        options.forEach((k, v) -> properties.put("gateway.bots.bot." + k, v));
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 250))
                .withMapping(mapping)
                .withConverter(Duration.class, 200, new DurationConverter())
                // One mapping at a time here: the keys of the others are not errors.
                .withDefaultValue("smallrye.config.mapping.validate-unknown", "false")
                .build();
        return config.getConfigMapping(mapping);
    }
}
