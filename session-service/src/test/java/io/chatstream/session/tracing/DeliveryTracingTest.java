package io.chatstream.session.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.contract.event.MessageEvent;
import io.chatstream.session.relay.Cursor;
import io.chatstream.session.relay.RelayedEvent;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** Per-message state stays bounded: ended messages leave, silent ones and the oldest past the cap too. */
class DeliveryTracingTest {

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                    .build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    private final DeliveryTracing tracing = new DeliveryTracing(otel, Duration.ofMinutes(10), 2);
    private final Instant now = Instant.now();
    private long offset;

    @Test
    void aMessageIsHeldFromItsFirstEventToItsTerminalOne() {
        relay(event("m-1", MessageEvent.STARTED, now));
        relay(event("m-1", MessageEvent.DELTA, now));
        assertThat(tracing.inProgress()).isEqualTo(1);
        assertThat(exporter.getFinishedSpanItems()).isEmpty();

        RelayedEvent terminal = event("m-1", MessageEvent.CANCELLED, now);
        relay(terminal);
        tracing.ended(terminal, 3);

        assertThat(tracing.inProgress()).isZero();
        SpanData span = exporter.getFinishedSpanItems().get(0);
        assertThat(span.getAttributes().get(DeliveryTracing.OUTCOME)).isEqualTo("cancelled");
        assertThat(span.getAttributes().get(DeliveryTracing.EVENTS)).isEqualTo(3L);
        assertThat(span.getAttributes().get(DeliveryTracing.SUBSCRIBERS)).isEqualTo(3L);
    }

    @Test
    void pastTheCapTheOldestMessageIsEvicted() {
        relay(event("m-1", MessageEvent.STARTED, now));
        relay(event("m-2", MessageEvent.STARTED, now));
        relay(event("m-1", MessageEvent.DELTA, now));
        relay(event("m-3", MessageEvent.STARTED, now));

        assertThat(tracing.inProgress()).isEqualTo(2);
        assertThat(ended()).containsExactly("m-1");
        assertThat(exporter.getFinishedSpanItems().get(0).getAttributes().get(DeliveryTracing.OUTCOME))
                .isEqualTo("evicted");
    }

    @Test
    void aMessageSilentForLongerThanTheWindowIsEvicted() {
        relay(event("m-old", MessageEvent.STARTED, now.minus(Duration.ofMinutes(11))));
        relay(event("m-new", MessageEvent.STARTED, now.minus(Duration.ofMinutes(1))));

        tracing.sweep(now.toEpochMilli());

        assertThat(ended()).containsExactly("m-old");
        assertThat(tracing.inProgress()).isEqualTo(1);
    }

    private void relay(RelayedEvent event) {
        tracing.relaying(new RecordHeaders(), event);
    }

    private List<String> ended() {
        return exporter.getFinishedSpanItems().stream()
                .map(span -> span.getAttributes().get(DeliveryTracing.MESSAGE_ID))
                .toList();
    }

    private RelayedEvent event(String messageId, String type, Instant time) {
        return new RelayedEvent("s-1", "s-1", messageId, type, new Cursor(0, offset++), time, "{}", 0, null);
    }
}
