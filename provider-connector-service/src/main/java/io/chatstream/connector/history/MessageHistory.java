package io.chatstream.connector.history;

import io.chatstream.contract.event.MessageEvent;

/** Where an ended message is recorded for {@code GET /v1/sessions/{id}/messages}. */
public interface MessageHistory {

    /** Records the message's question, whole answer, outcome and usage, from its terminal event. */
    void ended(String bot, String provider, String question, MessageEvent.Terminal terminal);
}
