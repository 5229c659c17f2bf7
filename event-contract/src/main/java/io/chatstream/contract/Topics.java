package io.chatstream.contract;

/**
 * Kafka topic names of the public contract (docs/api.md, "Kafka topics"): the log of requests and
 * events. The gateway's state (owners, history, conversations) is in PostgreSQL (gateway-store).
 */
public final class Topics {

    /** Every message event of every session, keyed by sessionId. */
    public static final String EVENTS = "chat.events";

    private static final String REQUESTS_PREFIX = "chat.requests.";

    private Topics() {}

    /** The request topic of one provider: one per provider, so each vendor's connectors scale alone. */
    public static String requests(String provider) {
        return REQUESTS_PREFIX + provider;
    }
}
