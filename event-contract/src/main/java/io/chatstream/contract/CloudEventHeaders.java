package io.chatstream.contract;

/**
 * CloudEvents Kafka protocol binding, binary mode: the record value is the event data, the
 * attributes travel as {@code ce_}-prefixed headers.
 */
public final class CloudEventHeaders {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String TYPE = "ce_type";
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TIME = "ce_time";
    public static final String CONTENT_TYPE = "content-type";

    public static final String SPEC_VERSION_1_0 = "1.0";
    public static final String JSON = "application/json";

    /** {@code ce_type} of an accepted user message on {@code chat.requests.<provider>}. */
    public static final String TYPE_REQUEST = "chat.request";

    /** {@code ce_type} of a cancel command on {@code chat.requests.<provider>}. */
    public static final String TYPE_CANCEL = "chat.cancel";

    /**
     * {@code ce_type} of a session's deletion on {@code chat.events}: a tombstone (no value) keyed
     * by the session's stream key. Its stream ends there; readers forget what they hold of it.
     */
    public static final String TYPE_SESSION_DELETED = "chat.session.deleted";

    private CloudEventHeaders() {}
}
