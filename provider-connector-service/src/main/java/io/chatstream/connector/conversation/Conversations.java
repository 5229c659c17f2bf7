package io.chatstream.connector.conversation;

import io.chatstream.provider.Conversation;
import java.util.concurrent.CompletionStage;

/**
 * Where the vendor conversation of each (bot, session) is kept between messages. Both calls name
 * the message being answered: the conversation belongs to the session as that message knows it,
 * so a message of a deleted session neither sees nor leaves one. Neither call waits for the store:
 * they are made on event loops.
 */
public interface Conversations {

    /**
     * The conversation the message continues (empty when there is none); fails when it cannot be
     * read, which is not the same as none.
     */
    CompletionStage<Conversation> get(String bot, String sessionId, String messageId);

    /** Keeps the conversation as the message leaves it: the session's next message gets it. */
    void save(String bot, String sessionId, String messageId, Conversation conversation);
}
