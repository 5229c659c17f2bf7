package io.chatstream.contract;

/** Kafka topic names of the public contract (docs/api.md, "Kafka topics"). */
public final class Topics {

    /** Every message event of every session, keyed by sessionId. */
    public static final String EVENTS = "chat.events";

    /** Compacted: vendor conversation handles, keyed by {@code <bot>:<sessionId>}. */
    public static final String CONVERSATIONS = "chat.conversations";

    /**
     * Compacted: one record per message ({@code <sessionId>/<messageId>}), its question, then its
     * whole answer, outcome and usage; what {@code GET /v1/sessions/{id}/messages} answers.
     */
    public static final String HISTORY = "chat.history";

    /** Compacted, internal to the ingress: which API key owns a session, keyed by sessionId. */
    public static final String SESSIONS = "chat.sessions";

    /** Internal to the ingress: idempotency keys, kept 24 h, keyed by scope hash. */
    public static final String IDEMPOTENCY = "chat.idempotency";

    private static final String REQUESTS_PREFIX = "chat.requests.";

    private Topics() {}

    /** The request topic of one provider: one per provider, so each vendor's connectors scale alone. */
    public static String requests(String provider) {
        return REQUESTS_PREFIX + provider;
    }
}
