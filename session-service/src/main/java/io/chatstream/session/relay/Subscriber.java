package io.chatstream.session.relay;

/**
 * One client watching one session. The relay calls {@link #deliver} in event order, from the
 * Kafka reader thread or the thread that subscribes, while it holds the session's lock: an
 * implementation must only queue the frame, never block.
 */
public interface Subscriber {

    /** Queues one frame (a JSON object) for the client. */
    void deliver(String frame);

    /** Closes the client's stream with a WebSocket close code, e.g. 1001 at shutdown. */
    void close(int code, String reason);
}
