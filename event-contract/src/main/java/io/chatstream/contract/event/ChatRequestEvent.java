package io.chatstream.contract.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * An accepted user message, as written by the ingress to {@code chat.requests.<provider>}.
 *
 * @param tenant a short, non-reversible id of the API key that owns the session (for analytics)
 * @param context optional vendor context passed through as the client sent it
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
        Instant acceptedAt) {}
