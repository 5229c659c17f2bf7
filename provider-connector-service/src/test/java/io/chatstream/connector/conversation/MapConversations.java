package io.chatstream.connector.conversation;

import io.chatstream.provider.Conversation;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Conversations in a map, read at once, for the unit tests of streaming rules (the PostgreSQL
 * store is tested through the service, in {@code it}).
 */
public final class MapConversations implements Conversations {

    private final Map<String, Conversation> saved = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<Conversation> get(String bot, String sessionId, String messageId) {
        return CompletableFuture.completedFuture(saved(bot, sessionId));
    }

    @Override
    public void save(String bot, String sessionId, String messageId, Conversation conversation) {
        saved.put(bot + ":" + sessionId, conversation);
    }

    /** What the session's last save left. */
    public Conversation saved(String bot, String sessionId) {
        return saved.getOrDefault(bot + ":" + sessionId, Conversation.empty());
    }
}
