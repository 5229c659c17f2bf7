package io.chatstream.contract.stream;

/**
 * The WebSocket close codes of the session stream, each named by what the client does on it
 * (docs/api.md, docs/sessions.md).
 */
public final class CloseCodes {

    /** Normal close; the service uses it for idle (dead) peers. */
    public static final int NORMAL = 1000;

    /**
     * Reconnect, to any replica, with the last cursor received: the replica is shutting down, or it
     * could not replay from Kafka. WebSocket's "going away".
     */
    public static final int RECONNECT = 1001;

    /** A refused token: the upgrade is accepted first, because browsers cannot read an HTTP 401. */
    public static final int POLICY_VIOLATION = 1008;

    /** Slow client: its queue passed the hard limit; reconnect with your cursor. */
    public static final int SLOW_CLIENT = 4001;

    /** This instance holds its maximum of connections: try again (another replica). */
    public static final int TOO_MANY_CONNECTIONS = 4002;

    /** The session was deleted (DELETE /v1/sessions/{id}): do not reconnect, its stream is gone. */
    public static final int SESSION_DELETED = 4004;

    private CloseCodes() {}
}
