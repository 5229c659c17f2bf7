package io.chatstream.provider;

import java.util.Map;

/**
 * One message to answer.
 *
 * @param context optional vendor context as the client sent it; never null (empty when absent)
 * @param conversation the session's conversation with this bot so far, read when the message starts
 */
public record ProviderCall(
        String bot,
        BotConfig config,
        String sessionId,
        String messageId,
        String text,
        Map<String, Object> context,
        Conversation conversation) {

    public ProviderCall {
        context = context == null ? Map.of() : context;
        conversation = conversation == null ? Conversation.empty() : conversation;
    }

    public ProviderCall(
            String bot,
            BotConfig config,
            String sessionId,
            String messageId,
            String text,
            Map<String, Object> context) {
        this(bot, config, sessionId, messageId, text, context, Conversation.empty());
    }

    public ProviderCall withConversation(Conversation conversation) {
        return new ProviderCall(bot, config, sessionId, messageId, text, context, conversation);
    }
}
