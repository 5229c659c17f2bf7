package io.chatstream.session.relay;

/**
 * One client watching one session. The relay calls {@link #deliver} in event order, from the
 * Kafka reader thread, a catch-up reader or the thread that subscribes, while it holds the
 * session's lock: an implementation must only queue the event, never block.
 */
public interface Subscriber {

    /** Queues one event for the client; its {@link RelayedEvent#frame()} is what is sent. */
    void deliver(RelayedEvent event);

    /** Closes the client's stream with a WebSocket close code, e.g. 1001 at shutdown. */
    void close(int code, String reason);
}
