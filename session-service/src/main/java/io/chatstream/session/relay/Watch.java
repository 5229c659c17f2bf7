package io.chatstream.session.relay;

import java.util.ArrayDeque;
import java.util.Set;

/**
 * One subscriber of one session, and what it still has to skip. Used under the session's lock
 * only. Every rule keys on Kafka offsets, which grow along the session's one partition (key =
 * sessionId): so an event that reaches a subscriber twice (from Kafka during a catch-up, then
 * live) is dropped the second time, and none is skipped.
 */
final class Watch {

    final Subscriber subscriber;

    /** {@code from=<id>} of a message not seen yet: deliver nothing until its first event. */
    String awaiting;

    /** At or below {@link #historyEnd}, only these messages' events (null: all). */
    Set<String> onlyMessages;

    /**
     * The session's last event already relayed when this watch began: what is at or below it is
     * replay, what is above it is live (never filtered).
     */
    long historyEnd = -1;

    /** The last offset delivered: anything at or below it has been seen. */
    long lastOffset = -1;

    /** While catching up from Kafka, live events wait here (null once live). */
    ArrayDeque<RelayedEvent> held;

    Watch(Subscriber subscriber) {
        this.subscriber = subscriber;
    }

    /** A live event, from the reader. */
    void offer(RelayedEvent event) {
        if (held != null) {
            held.addLast(event);
        } else {
            deliver(event);
        }
    }

    /** Delivers the event unless it was seen, filtered out, or precedes the awaited message. */
    void deliver(RelayedEvent event) {
        if (event.offset() <= lastOffset) {
            return;
        }
        if (onlyMessages != null && event.offset() <= historyEnd && !onlyMessages.contains(event.messageId())) {
            return;
        }
        if (awaiting != null) {
            if (!awaiting.equals(event.messageId())) {
                return;
            }
            awaiting = null;
        }
        lastOffset = event.offset();
        subscriber.deliver(event);
    }

    boolean catchingUp() {
        return held != null;
    }

    /**
     * The Kafka position at which Kafka has given everything memory cannot: the first held event
     * (memory has every later one), or just past the history when nothing is held.
     */
    long handoverAt() {
        return held.isEmpty() ? historyEnd + 1 : held.peekFirst().offset();
    }

    /** Delivers what was held and turns live. */
    void handOver() {
        ArrayDeque<RelayedEvent> pending = held;
        held = null;
        pending.forEach(this::deliver);
    }
}
