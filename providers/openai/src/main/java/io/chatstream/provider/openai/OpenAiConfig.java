package io.chatstream.provider.openai;

import io.smallrye.config.ConfigMapping;
import java.util.Map;
import java.util.Optional;

/**
 * The openai options of a bot, beside the keys every bot has ({@code BotConfig}): the same {@code
 * gateway.bots.<bot>.} keys, so that a bot is still configured in one place, and so that
 * unknown-key validation, which takes every mapping into account, knows them.
 */
@ConfigMapping(prefix = "gateway")
public interface OpenAiConfig {

    /** By bot name; a bot that sets none of these options may have no entry. */
    Map<String, Bot> bots();

    /** The openai options of one bot. */
    interface Bot {
        /** The vendor model (default gpt-4o-mini). */
        Optional<String> model();
    }
}
