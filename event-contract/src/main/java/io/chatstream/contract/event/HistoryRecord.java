package io.chatstream.contract.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One message of a session as history keeps it (gateway-store's {@code messages} table): the
 * ingress records it {@code pending} when it accepts the message (before the request exists), and
 * the connector records its outcome when it ends, once.
 *
 * @param status {@code pending}, or the outcome: {@code completed}, {@code failed}, {@code cancelled}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HistoryRecord(
        String sessionId,
        String messageId,
        String bot,
        String provider,
        String question,
        String status,
        String answer,
        Usage usage,
        ErrorInfo error,
        Instant acceptedAt,
        Instant endedAt) {

    public static final String PENDING = "pending";

    @JsonIgnore
    public boolean ended() {
        return !PENDING.equals(status);
    }

    public static HistoryRecord pending(ChatRequestEvent request) {
        return new HistoryRecord(
                request.sessionId(),
                request.messageId(),
                request.bot(),
                request.provider(),
                request.text(),
                PENDING,
                null,
                null,
                null,
                request.acceptedAt(),
                null);
    }

    /** The record of an ended message, from its terminal event. */
    public static HistoryRecord ended(
            String bot, String provider, String question, Instant acceptedAt, MessageEvent.Terminal terminal) {
        Usage usage = null;
        ErrorInfo error = null;
        if (terminal instanceof MessageEvent.Completed completed) {
            usage = completed.usage();
        } else if (terminal instanceof MessageEvent.Cancelled cancelled) {
            usage = cancelled.usage();
        } else if (terminal instanceof MessageEvent.Failed failed) {
            error = failed.error();
        }
        return new HistoryRecord(
                terminal.sessionId(),
                terminal.messageId(),
                bot,
                provider,
                question,
                terminal.outcome(),
                terminal.text(),
                usage,
                error,
                acceptedAt,
                Instant.now());
    }
}
