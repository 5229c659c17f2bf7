package io.chatstream.connector.conversation;

import io.chatstream.provider.Conversation;

/** Where the vendor conversation of each (bot, session) is kept between messages. */
public interface Conversations {

    Conversation get(String bot, String sessionId);

    void save(String bot, String sessionId, Conversation conversation);
}
