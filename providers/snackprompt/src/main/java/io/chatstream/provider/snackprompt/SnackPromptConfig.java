package io.chatstream.provider.snackprompt;

import io.smallrye.config.ConfigMapping;
import java.util.Map;
import java.util.Optional;

/**
 * The snackprompt options of a bot, beside the keys every bot has ({@code BotConfig}): the same {@code
 * gateway.bots.<bot>.} keys, so that a bot is still configured in one place, and so that
 * unknown-key validation, which takes every mapping into account, knows them.
 */
@ConfigMapping(prefix = "gateway")
public interface SnackPromptConfig {

    /** By bot name; a bot that sets none of these options may have no entry. */
    Map<String, Bot> bots();

    /** The snackprompt options of one bot. */
    interface Bot {
        /** The SnackPrompt tenant whose knowledge base answers: required. */
        Optional<String> tenantId();
    }
}
