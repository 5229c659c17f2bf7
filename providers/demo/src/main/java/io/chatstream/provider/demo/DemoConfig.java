package io.chatstream.provider.demo;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The demo options of a bot, beside the keys every bot has ({@code BotConfig}): the same {@code
 * gateway.bots.<bot>.} keys, so that a bot is still configured in one place, and so that
 * unknown-key validation, which takes every mapping into account, knows them.
 */
@ConfigMapping(prefix = "gateway")
public interface DemoConfig {

    /** By bot name; a bot that sets none of these options may have no entry. */
    Map<String, Bot> bots();

    /** The demo options of one bot. */
    interface Bot {
        /** How many tokens an answer has (default 24). */
        OptionalInt tokens();

        /** The pause between two tokens (default 30ms). */
        Optional<Duration> pace();
    }
}
