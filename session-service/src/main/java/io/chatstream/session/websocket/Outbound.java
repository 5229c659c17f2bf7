package io.chatstream.session.websocket;

import io.chatstream.session.relay.RelayedEvent;

/** One entry of a connection's outbound queue: an event as relayed, or merged deltas. */
interface Outbound {

    /** The text frame to send. */
    String frame();

    /** Roughly what the entry holds in memory, in characters (for the queue's byte limit). */
    long chars();

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
    }
}
