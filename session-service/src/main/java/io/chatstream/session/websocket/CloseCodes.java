package io.chatstream.session.websocket;

/**
 * The close codes clients act on (API.md, docs/sessions.md). 1001 (reconnect with your cursor)
 * is the relay's: {@code SessionRelay.GOING_AWAY}.
 */
final class CloseCodes {

    /** Normal close; the service uses it for idle (dead) peers. */
    static final int NORMAL = 1000;

    /** A refused token: the upgrade is accepted first, because browsers cannot read an HTTP 401. */
    static final int POLICY_VIOLATION = 1008;

    /** Slow client: its queue passed the hard limit; reconnect with your cursor. */
    static final int SLOW_CLIENT = 4001;

    /** This instance holds its maximum of connections: try again (another replica). */
    static final int TOO_MANY_CONNECTIONS = 4002;

    private CloseCodes() {}
}
