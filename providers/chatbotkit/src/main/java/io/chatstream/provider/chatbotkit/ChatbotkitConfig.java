package io.chatstream.provider.chatbotkit;

import io.smallrye.config.ConfigMapping;
import java.util.Map;
import java.util.Optional;

/**
 * The chatbotkit options of a bot, beside the keys every bot has ({@code BotConfig}): the same {@code
 * gateway.bots.<bot>.} keys, so that a bot is still configured in one place, and so that
 * unknown-key validation, which takes every mapping into account, knows them.
 */
@ConfigMapping(prefix = "gateway")
public interface ChatbotkitConfig {

    /** By bot name; a bot that sets none of these options may have no entry. */
    Map<String, Bot> bots();

    /** The chatbotkit options of one bot. */
    interface Bot {
        /** The ChatBotKit bot the conversation is made with ({@code botId}), when set. */
        Optional<String> chatbotId();

        /** The model the conversation is made with, when set. */
        Optional<String> model();
    }
}
