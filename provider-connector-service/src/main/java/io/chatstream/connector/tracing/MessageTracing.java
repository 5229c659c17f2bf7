package io.chatstream.connector.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.header.Headers;

/**
 * One trace from the user's POST to the last token, across both Kafka hops: the ingress puts the
 * W3C {@code traceparent} of its request span on the request record; here a {@code process} span
 * of that trace covers the message from the moment it is read until its terminal event, and every
 * event of the message on {@code chat.events} carries that span's {@code traceparent}, for the
 * session-service and analytics consumers to continue. The header value is computed once per
 * message, so the token path only adds a header.
 */
@ApplicationScoped
public class MessageTracing {

    static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("chat.message_id");
    static final AttributeKey<String> SESSION_ID = AttributeKey.stringKey("chat.session_id");
    static final AttributeKey<String> BOT = AttributeKey.stringKey("chat.bot");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("chat.outcome");

    private record Traced(Span span, Map<String, byte[]> headers) {}

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final Map<String, Traced> messages = new ConcurrentHashMap<>();

    public MessageTracing(OpenTelemetry otel) {
        this.tracer = otel.getTracer("io.chatstream.connector");
        this.propagator = otel.getPropagators().getTextMapPropagator();
    }

    /**
     * A request was read: its span starts, a child of the trace in the record's headers (if any).
     * A second read of a message in flight (a redelivery) changes nothing.
     *
     * @return ends this read's span if the message never reaches a terminal event here (a skipped
     *     duplicate); a no-op once it did
     */
    public Runnable received(String topic, Headers recordHeaders, String sessionId, String messageId, String bot) {
        if (messages.containsKey(messageId)) {
            return () -> {};
        }
        Context parent = propagator.extract(Context.root(), recordHeaders, KafkaHeaders.GETTER);
        Span span = tracer.spanBuilder(topic + " process")
                .setSpanKind(SpanKind.CONSUMER)
                .setParent(parent)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", topic)
                .setAttribute("messaging.operation.type", "process")
                .setAttribute(MESSAGE_ID, messageId)
                .setAttribute(SESSION_ID, sessionId)
                .setAttribute(BOT, bot == null ? "" : bot)
                .startSpan();
        Map<String, byte[]> headers = new LinkedHashMap<>();
        propagator.inject(parent.with(span), headers, KafkaHeaders.MAP_SETTER);
        Traced traced = new Traced(span, headers);
        if (messages.putIfAbsent(messageId, traced) != null) {
            return () -> {};
        }
        return () -> {
            if (messages.remove(messageId, traced)) {
                span.end();
            }
        };
    }

    /** Adds the message's trace context to an outgoing event record. */
    public void addTo(String messageId, Headers headers) {
        Traced traced = messages.get(messageId);
        if (traced != null) {
            traced.headers().forEach(headers::add);
        }
    }

    /** The first token reached Kafka: an event on the span. */
    public void event(String messageId, String name) {
        Traced traced = messages.get(messageId);
        if (traced != null) {
            traced.span().addEvent(name);
        }
    }

    /** The message's terminal event was published: its span ends. Idempotent. */
    public void ended(String messageId, String outcome) {
        Traced traced = messages.remove(messageId);
        if (traced != null) {
            traced.span().setAttribute(OUTCOME, outcome);
            traced.span().end();
        }
    }
}
