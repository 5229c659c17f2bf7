package io.chatstream.session.websocket;

import io.chatstream.session.relay.RelayedEvent;

/** One entry of a connection's outbound queue: an event as relayed, or merged deltas. */
interface Outbound {

    /** The text frame to send. */
    String frame();

    /** Roughly what the entry holds in memory, in characters (for the queue's byte limit). */
    long chars();

    /** The event type of the frame (for the delivered count). */
    String type();

    /**
     * The Kafka record time of the entry's (first) event, in epoch milliseconds; {@link
     * Long#MIN_VALUE} for the relay's own frames ({@code stream.error}), which have none.
     */
    long recordTimeMillis();

    /** An event queued as is. */
    record Single(RelayedEvent event) implements Outbound {

        @Override
        public String frame() {
            return event.frame();
        }

        @Override
        public long chars() {
            return event.frame().length();
        }

        @Override
        public String type() {
            return event.type();
        }

        @Override
        public long recordTimeMillis() {
            return event.cursor() == null ? Long.MIN_VALUE : event.time().toEpochMilli();
        }
    }
}
