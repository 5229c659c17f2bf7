package io.chatstream.connector.provider;

import io.chatstream.connector.config.BotConfig;
import java.util.Map;

/**
 * One message to answer.
 *
 * @param context optional vendor context as the client sent it; never null (empty when absent)
 */
public record ProviderCall(
        String bot, BotConfig config, String sessionId, String messageId, String text, Map<String, Object> context) {

    public ProviderCall {
        context = context == null ? Map.of() : context;
    }
}
