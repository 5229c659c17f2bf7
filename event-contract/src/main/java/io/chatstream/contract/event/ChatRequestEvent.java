package io.chatstream.contract.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * An accepted user message, as written by the ingress to {@code chat.requests.<provider>}.
 *
 * @param tenant a short, non-reversible id of the API key that owns the session (for analytics)
 * @param context optional vendor context passed through as the client sent it
 * @param streamKey the key of the session's records on {@code chat.requests.*} and {@code
 *     chat.events}: one per session of one API key, new when a deleted id is used again, so two
 *     keys' sessions of the same id never share a stream. Absent from requests written before
 *     stream keys existed, whose records are keyed by the session id.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatRequestEvent(
        String sessionId,
        String messageId,
        String bot,
        String provider,
        String text,
        Map<String, Object> context,
        String tenant,
        Instant acceptedAt,
        String streamKey) {

    public ChatRequestEvent(
            String sessionId,
            String messageId,
            String bot,
            String provider,
            String text,
            Map<String, Object> context,
            String tenant,
            Instant acceptedAt) {
        this(sessionId, messageId, bot, provider, text, context, tenant, acceptedAt, null);
    }

    /** The record key of this request and of its events: the stream key, else the session id. */
    public String kafkaKey() {
        return streamKey != null ? streamKey : sessionId;
    }
}
