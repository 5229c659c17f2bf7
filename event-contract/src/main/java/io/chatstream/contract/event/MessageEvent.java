package io.chatstream.contract.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Map;

/**
 * One event of one message's answer, as published on {@code chat.events} and relayed to clients
 * (the session-service adds the {@code cursor}): one record per kind, each with only its own
 * fields. The kind travels as the JSON {@code type} (first, as clients have always read it); a
 * value whose {@code type} is none of these does not decode.
 *
 * <p>Every event has a {@code seq}: per message 0, 1, 2 … without gaps ({@code message.started}
 * is always 0).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = MessageEvent.Started.class, name = MessageEvent.STARTED),
    @JsonSubTypes.Type(value = MessageEvent.Delta.class, name = MessageEvent.DELTA),
    @JsonSubTypes.Type(value = MessageEvent.Reset.class, name = MessageEvent.RESET),
    @JsonSubTypes.Type(value = MessageEvent.Completed.class, name = MessageEvent.COMPLETED),
    @JsonSubTypes.Type(value = MessageEvent.Failed.class, name = MessageEvent.FAILED),
    @JsonSubTypes.Type(value = MessageEvent.Cancelled.class, name = MessageEvent.CANCELLED)
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface MessageEvent {

    String STARTED = "message.started";
    String DELTA = "message.delta";
    String RESET = "message.reset";
    String COMPLETED = "message.completed";
    String FAILED = "message.failed";
    String CANCELLED = "message.cancelled";

    /** The wire name of this event's kind, e.g. {@code message.delta}. */
    String type();

    String sessionId();

    String messageId();

    long seq();

    /** Whether this event ends its message: exactly one per accepted message. */
    @JsonIgnore
    default boolean isTerminal() {
        return this instanceof Terminal;
    }

    static boolean isTerminalType(String type) {
        return COMPLETED.equals(type) || FAILED.equals(type) || CANCELLED.equals(type);
    }

    /**
     * The answer that one message's events spell, in order: the text of its deltas since its last
     * reset. Its terminal event carries exactly this text.
     */
    static String textSinceLastReset(Iterable<? extends MessageEvent> events) {
        StringBuilder text = new StringBuilder();
        for (MessageEvent event : events) {
            if (event instanceof Reset) {
                text.setLength(0);
            } else if (event instanceof Delta delta && delta.text() != null) {
                text.append(delta.text());
            }
        }
        return text.toString();
    }

    /** An event that ends its message; it carries the whole answer (so far). */
    sealed interface Terminal extends MessageEvent permits Completed, Failed, Cancelled {

        /** The text since the message's last reset: its whole answer, or what there was of it. */
        String text();

        /** How the message ended, as its history {@code status} says: {@code completed}, {@code failed}, {@code cancelled}. */
        default String outcome() {
            return type().substring("message.".length());
        }
    }

    /** The answer begins; names who answers. */
    @JsonPropertyOrder({"sessionId", "messageId", "seq", "bot", "provider"})
    record Started(String sessionId, String messageId, String bot, String provider) implements MessageEvent {

        @Override
        public String type() {
            return STARTED;
        }

        /** Always 0: the first event of every message. */
        @Override
        @JsonProperty("seq")
        public long seq() {
            return 0;
        }
    }

    /**
     * A piece of the answer's text.
     *
     * @param seq for a merged delta, the last merged seq
     * @param fromSeq only on a merged delta (the session-service merges a slow client's adjacent
     *     deltas into one): the first merged seq; null otherwise
     */
    @JsonPropertyOrder({"sessionId", "messageId", "seq", "fromSeq", "text"})
    record Delta(String sessionId, String messageId, long seq, Long fromSeq, String text) implements MessageEvent {

        /** A delta as the connector publishes it: one piece, not merged. */
        public Delta(String sessionId, String messageId, long seq, String text) {
            this(sessionId, messageId, seq, null, text);
        }

        @Override
        public String type() {
            return DELTA;
        }
    }

    /** The text so far is void: the answer streams again from its start. */
    @JsonPropertyOrder({"sessionId", "messageId", "seq"})
    record Reset(String sessionId, String messageId, long seq) implements MessageEvent {

        @Override
        public String type() {
            return RESET;
        }
    }

    /**
     * The answer is whole.
     *
     * @param data vendor extras (AUI products, suggestions …); null when there are none
     */
    @JsonPropertyOrder({"sessionId", "messageId", "seq", "text", "data", "usage"})
    record Completed(String sessionId, String messageId, long seq, String text, Map<String, Object> data, Usage usage)
            implements Terminal {

        @Override
        public String type() {
            return COMPLETED;
        }
    }

    /** The answer cannot be given; {@code text} is what there was of it. */
    @JsonPropertyOrder({"sessionId", "messageId", "seq", "text", "error"})
    record Failed(String sessionId, String messageId, long seq, String text, ErrorInfo error) implements Terminal {

        @Override
        public String type() {
            return FAILED;
        }
    }

    /** The answer was stopped on request; {@code text} is what there was of it. */
    @JsonPropertyOrder({"sessionId", "messageId", "seq", "text", "usage"})
    record Cancelled(String sessionId, String messageId, long seq, String text, Usage usage) implements Terminal {

        @Override
        public String type() {
            return CANCELLED;
        }
    }

    static Started started(String sessionId, String messageId, String bot, String provider) {
        return new Started(sessionId, messageId, bot, provider);
    }

    static Delta delta(String sessionId, String messageId, long seq, String text) {
        return new Delta(sessionId, messageId, seq, text);
    }

    static Reset reset(String sessionId, String messageId, long seq) {
        return new Reset(sessionId, messageId, seq);
    }

    static Completed completed(
            String sessionId, String messageId, long seq, String text, Map<String, Object> data, Usage usage) {
        return new Completed(sessionId, messageId, seq, text, data, usage);
    }

    static Failed failed(String sessionId, String messageId, long seq, String textSoFar, ErrorInfo error) {
        return new Failed(sessionId, messageId, seq, textSoFar, error);
    }

    static Cancelled cancelled(String sessionId, String messageId, long seq, String textSoFar, Usage usage) {
        return new Cancelled(sessionId, messageId, seq, textSoFar, usage);
    }
}
