package io.chatstream.connector.conversation;

import io.chatstream.connector.database.DatabaseExecutor;
import io.chatstream.contract.event.EventJson;
import io.chatstream.provider.Conversation;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * The vendor conversations in PostgreSQL ({@code conversations}, one row per session and bot, as
 * provider-kit's {@link Conversation} in JSON), read and written through the message being
 * answered: a message of a deleted session neither sees nor leaves a conversation (gateway-store's
 * {@link io.chatstream.store.Conversations}). Any connector instance continues any session.
 */
@ApplicationScoped
public class PostgresConversations implements Conversations {

    private static final Logger LOG = Logger.getLogger(PostgresConversations.class);

    private final DatabaseExecutor database;

    public PostgresConversations(DatabaseExecutor database) {
        this.database = database;
    }

    @Override
    public CompletionStage<Conversation> get(String bot, String sessionId, String messageId) {
        return database.submit(
                        sessionId,
                        "conversation-load",
                        connection -> io.chatstream.store.Conversations.get(connection, bot, sessionId, messageId))
                .thenApply(json -> json.map(PostgresConversations::decode).orElseGet(Conversation::empty));
    }

    @Override
    public void save(String bot, String sessionId, String messageId, Conversation conversation) {
        String json = new String(EventJson.encode(conversation), StandardCharsets.UTF_8);
        // A write, not a read: a conversation lost to an outage would make the next message
        // continue an older one; the session's next load queues behind it.
        database.write(
                        sessionId,
                        "conversation-save",
                        connection ->
                                io.chatstream.store.Conversations.save(connection, bot, sessionId, messageId, json))
                .thenAccept(saved -> {
                    if (!saved) {
                        LOG.debugf("message %s: its session is gone, its conversation is not kept", messageId);
                    }
                });
    }

    private static Conversation decode(String json) {
        return EventJson.decode(json.getBytes(StandardCharsets.UTF_8), Conversation.class);
    }
}
