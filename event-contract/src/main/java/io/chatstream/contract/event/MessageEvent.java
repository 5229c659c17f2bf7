package io.chatstream.contract.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * One event of one message's answer, as published on {@code chat.events} and relayed to clients
 * (the session-service adds the {@code cursor}). Fields that a type does not use are absent.
 *
 * @param seq per message: 0, 1, 2 … without gaps; for a merged delta, the last merged seq
 * @param fromSeq only on a merged delta: the first merged seq
 * @param text a delta's text, or the whole (so far) text of a terminal event
 * @param data vendor extras kept on {@code message.completed} (AUI products, suggestions …)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
    "type",
    "sessionId",
    "messageId",
    "seq",
    "fromSeq",
    "bot",
    "provider",
    "text",
    "data",
    "usage",
    "error"
})
public record MessageEvent(
        String type,
        String sessionId,
        String messageId,
        long seq,
        Long fromSeq,
        String bot,
        String provider,
        String text,
        Map<String, Object> data,
        Usage usage,
        ErrorInfo error) {

    public static final String STARTED = "message.started";
    public static final String DELTA = "message.delta";
    public static final String RESET = "message.reset";
    public static final String COMPLETED = "message.completed";
    public static final String FAILED = "message.failed";
    public static final String CANCELLED = "message.cancelled";

    public static MessageEvent started(String sessionId, String messageId, String bot, String provider) {
        return new MessageEvent(STARTED, sessionId, messageId, 0, null, bot, provider, null, null, null, null);
    }

    public static MessageEvent delta(String sessionId, String messageId, long seq, String text) {
        return new MessageEvent(DELTA, sessionId, messageId, seq, null, null, null, text, null, null, null);
    }

    public static MessageEvent reset(String sessionId, String messageId, long seq) {
        return new MessageEvent(RESET, sessionId, messageId, seq, null, null, null, null, null, null, null);
    }

    public static MessageEvent completed(
            String sessionId, String messageId, long seq, String text, Map<String, Object> data, Usage usage) {
        return new MessageEvent(COMPLETED, sessionId, messageId, seq, null, null, null, text, data, usage, null);
    }

    public static MessageEvent failed(String sessionId, String messageId, long seq, String textSoFar, ErrorInfo error) {
        return new MessageEvent(FAILED, sessionId, messageId, seq, null, null, null, textSoFar, null, null, error);
    }

    public static MessageEvent cancelled(String sessionId, String messageId, long seq, String textSoFar, Usage usage) {
        return new MessageEvent(CANCELLED, sessionId, messageId, seq, null, null, null, textSoFar, null, usage, null);
    }

    /** Whether this event ends its message: exactly one per accepted message. */
    @JsonIgnore
    public boolean isTerminal() {
        return isTerminalType(type);
    }

    public static boolean isTerminalType(String type) {
        return COMPLETED.equals(type) || FAILED.equals(type) || CANCELLED.equals(type);
    }
}
