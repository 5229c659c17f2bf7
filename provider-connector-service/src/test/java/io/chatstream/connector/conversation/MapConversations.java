package io.chatstream.connector.conversation;

import io.chatstream.contract.ConversationKey;
import io.chatstream.provider.Conversation;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Conversations in a map, for the unit tests of streaming rules (the Kafka store has its own tests). */
public final class MapConversations implements Conversations {

    public final Map<ConversationKey, Conversation> saved = new ConcurrentHashMap<>();

    @Override
    public Conversation get(String bot, String sessionId) {
        return saved.getOrDefault(new ConversationKey(bot, sessionId), Conversation.empty());
    }

    @Override
    public void save(String bot, String sessionId, Conversation conversation) {
        saved.put(new ConversationKey(bot, sessionId), conversation);
    }
}
