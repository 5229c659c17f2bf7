package io.chatstream.session.relay;

import io.chatstream.contract.event.MessageEvent;
import java.time.Instant;

/**
 * One event of {@code chat.events} as the relay keeps it: what the replay logic needs to know,
 * and the frame (the JSON with its cursor) that every subscriber receives as is.
 *
 * @param streamKey the record key: the session (of one API key) whose subscribers receive the event
 * @param sessionId the session id as its client knows it, which frames carry
 * @param cursor where the record sits in Kafka; null only for a {@code stream.error} frame
 * @param time the Kafka record's timestamp: what the replay window is measured against
 * @param seq the event's seq within its message
 * @param deltaText a delta's text, kept beside the frame so that a slow client's queue can merge
 *     deltas without parsing JSON; null for every other type (their text can be long)
 */
public record RelayedEvent(
        String streamKey,
        String sessionId,
        String messageId,
        String type,
        Cursor cursor,
        Instant time,
        String frame,
        long seq,
        String deltaText) {

    /** {@code {"type":"stream.error","code":…}} (API.md): not a message event, never replayed. */
    public static RelayedEvent streamError(String streamKey, String code) {
        String frame = "{\"type\":\"stream.error\",\"code\":\"" + code + "\"}";
        return new RelayedEvent(streamKey, null, null, "stream.error", null, Instant.now(), frame, -1, null);
    }

    public boolean isStarted() {
        return MessageEvent.STARTED.equals(type);
    }

    public boolean isTerminal() {
        return MessageEvent.isTerminalType(type);
    }

    public boolean isDelta() {
        return deltaText != null;
    }

    public long offset() {
        return cursor.offset();
    }
}
