package io.chatstream.contract;

/**
 * The key of a vendor conversation on the compacted {@code chat.conversations} topic, written
 * {@code <bot>:<sessionId>} (docs/api.md): one conversation per bot and session. The connector
 * saves under it and the ingress deletes under it when a session is forgotten, so both spell it
 * here.
 */
public record ConversationKey(String bot, String sessionId) {

    /** The record key, {@code <bot>:<sessionId>}. */
    @Override
    public String toString() {
        return bot + ":" + sessionId;
    }
}
