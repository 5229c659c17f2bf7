package io.chatstream.session.tracing;

import io.chatstream.contract.Topics;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.session.config.SessionConfig;
import io.chatstream.session.relay.RelayedEvent;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.header.Headers;

/**
 * The last hop of a message's trace: the connector puts its {@code process} span's W3C
 * {@code traceparent} on every event record of the message; here a {@code chat.events deliver}
 * span, a child of it, covers the message on this replica, from its first event relayed to its
 * terminal event handed to the session's subscribers. Only messages in progress are held (ended
 * ones leave at once; silent ones after the replay window; the oldest beyond a cap), and the
 * token path pays one map lookup.
 *
 * <p>Called by the {@code chat.events} reader's thread only: no locking.
 */
@ApplicationScoped
public class DeliveryTracing {

    static final String SPAN_NAME = Topics.EVENTS + " deliver";
    static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("chat.message_id");
    static final AttributeKey<String> SESSION_ID = AttributeKey.stringKey("chat.session_id");
    static final AttributeKey<Long> EVENTS = AttributeKey.longKey("chat.events");
    static final AttributeKey<Long> SUBSCRIBERS = AttributeKey.longKey("chat.subscribers");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("chat.outcome");
    /** Messages in progress held at most; past it the oldest one's span ends as {@code evicted}. */
    static final int MAX_IN_PROGRESS = 10_000;

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final long silentLimitMillis;
    private final int maxInProgress;
    // In start order, so that the cap drops the oldest first.
    private final Map<String, InProgress> messages = new LinkedHashMap<>();

    @Inject
    public DeliveryTracing(OpenTelemetry otel, SessionConfig config) {
        this(otel, config.replayWindow(), MAX_IN_PROGRESS);
    }

    public DeliveryTracing(OpenTelemetry otel, Duration silentLimit, int maxInProgress) {
        this.tracer = otel.getTracer("io.chatstream.session");
        this.propagator = otel.getPropagators().getTextMapPropagator();
        this.silentLimitMillis = silentLimit.toMillis();
        this.maxInProgress = maxInProgress;
    }

    /** Before the event is relayed: a message's first event here starts its span. */
    public void relaying(Headers recordHeaders, RelayedEvent event) {
        if (event.messageId() == null) {
            return;
        }
        InProgress message = messages.get(event.messageId());
        if (message == null) {
            message = start(recordHeaders, event);
        }
        message.events++;
        message.lastRecordTimeMillis = event.time().toEpochMilli();
        if (MessageEvent.RESET.equals(event.type())) {
            // The connector restarted the answer: its retry is a new span of the same trace.
            message.span.addEvent(MessageEvent.RESET);
        }
    }

    /** After the terminal event was handed to {@code subscribers} subscribers: the span ends. */
    public void ended(RelayedEvent event, int subscribers) {
        InProgress message = event.messageId() == null ? null : messages.remove(event.messageId());
        if (message != null) {
            message.span.setAttribute(SUBSCRIBERS, (long) subscribers);
            message.end(event.type().substring(event.type().indexOf('.') + 1));
        }
    }

    /** Ends the spans of messages silent for longer than the replay window (their connector died). */
    public void sweep(long nowMillis) {
        Iterator<InProgress> it = messages.values().iterator();
        while (it.hasNext()) {
            InProgress message = it.next();
            if (nowMillis - message.lastRecordTimeMillis > silentLimitMillis) {
                it.remove();
                message.end("evicted");
            }
        }
    }

    /** Messages whose span is open (for tests and diagnostics). */
    public int inProgress() {
        return messages.size();
    }

    private InProgress start(Headers recordHeaders, RelayedEvent event) {
        if (messages.size() >= maxInProgress) {
            Iterator<InProgress> oldest = messages.values().iterator();
            InProgress evicted = oldest.next();
            oldest.remove();
            evicted.end("evicted");
        }
        Context parent = propagator.extract(Context.root(), recordHeaders, RecordHeaders.GETTER);
        Span span = tracer.spanBuilder(SPAN_NAME)
                .setSpanKind(SpanKind.CONSUMER)
                .setParent(parent)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", Topics.EVENTS)
                .setAttribute("messaging.operation.type", "process")
                .setAttribute(
                        "messaging.destination.partition.id",
                        String.valueOf(event.cursor().partition()))
                .setAttribute(MESSAGE_ID, event.messageId())
                .setAttribute(SESSION_ID, event.sessionId())
                .startSpan();
        InProgress message = new InProgress(span);
        messages.put(event.messageId(), message);
        return message;
    }

    private static final class InProgress {

        final Span span;
        long events;
        long lastRecordTimeMillis;

        InProgress(Span span) {
            this.span = span;
        }

        void end(String outcome) {
            span.setAttribute(EVENTS, events);
            span.setAttribute(OUTCOME, outcome);
            span.end();
        }
    }
}
