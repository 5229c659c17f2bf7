package io.chatstream.session.relay;

import io.chatstream.contract.event.MessageEvent;
import java.time.Instant;

/**
 * One event of {@code chat.events} as the relay keeps it: what the replay logic needs to know,
 * and the frame (the JSON with its cursor) that every subscriber receives as is.
 *
 * @param time the Kafka record's timestamp: what the replay window is measured against
 */
public record RelayedEvent(String sessionId, String messageId, String type, Cursor cursor, Instant time, String frame) {

    public boolean isStarted() {
        return MessageEvent.STARTED.equals(type);
    }

    public boolean isTerminal() {
        return MessageEvent.isTerminalType(type);
    }
}
