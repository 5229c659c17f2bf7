package io.chatstream.session.tracing;

import static io.chatstream.session.testing.Sessions.newMessageId;
import static io.chatstream.session.testing.Sessions.newSessionId;
import static io.chatstream.session.testing.Sessions.streamUri;
import static io.chatstream.session.testing.Sessions.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chatstream.contract.event.MessageEvent;
import io.chatstream.localkafka.KafkaBrokerTestResource;
import io.chatstream.session.relay.EventReader;
import io.chatstream.session.relay.SessionRelay;
import io.chatstream.session.testing.EventProducer;
import io.chatstream.session.testing.StreamClient;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The last hop of the trace: event records that carry the connector's {@code traceparent} get one
 * {@code chat.events deliver} span per message here, a child of that span, ended once the terminal
 * event was handed to the session's subscribers.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class DeliveryTraceTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CONNECTOR_SPAN = "00f067aa0ba902b7";

    @TestHTTPResource("/")
    URL base;

    @Inject
    EventReader reader;

    @Inject
    SessionRelay relay;

    @Inject
    InMemorySpanExporter spans;

    @BeforeEach
    void readerIsLive() {
        // The start-up refill is not traced: only what the reader relays once caught up.
        await().atMost(Duration.ofSeconds(30)).until(reader::caughtUp);
    }

    @Test
    void eachMessageGetsOneDeliverSpanThatContinuesTheConnectorsTrace() {
        String session = newSessionId();
        String message = newMessageId();
        String token = token(session);
        try (StreamClient client = StreamClient.connect(streamUri(base, session, token, ""))) {
            await().until(() -> relay.subscribers(session).size() == 1);
            EventProducer.sendTraced(
                    "00-" + TRACE_ID + "-" + CONNECTOR_SPAN + "-01",
                    MessageEvent.started(session, message, "demo", "demo"),
                    MessageEvent.delta(session, message, 1, "Hel"),
                    MessageEvent.delta(session, message, 2, "lo"),
                    MessageEvent.completed(session, message, 3, "Hello", null, null));
            client.awaitFrames(4);

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !deliverSpansOf(message).isEmpty());
            List<SpanData> found = deliverSpansOf(message);
            assertThat(found).hasSize(1);
            SpanData span = found.get(0);
            assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
            assertThat(span.getParentSpanId()).isEqualTo(CONNECTOR_SPAN);
            assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER);
            assertThat(span.getName()).isEqualTo("chat.events deliver");
            assertThat(span.getAttributes().get(DeliveryTracing.SESSION_ID)).isEqualTo(session);
            assertThat(span.getAttributes().get(DeliveryTracing.EVENTS)).isEqualTo(4L);
            assertThat(span.getAttributes().get(DeliveryTracing.SUBSCRIBERS)).isEqualTo(1L);
            assertThat(span.getAttributes().get(DeliveryTracing.OUTCOME)).isEqualTo("completed");
            // The upgrade's query carries the stream token: no span (ours or the extension's) keeps it.
            assertThat(spans.getFinishedSpanItems())
                    .allSatisfy(s -> assertThat(s.getAttributes().toString()).doesNotContain(token));
        }
    }

    @Test
    void aMessageWithoutTraceContextStartsATraceOfItsOwn() {
        String session = newSessionId();
        String message = newMessageId();
        EventProducer.send(
                MessageEvent.started(session, message, "demo", "demo"),
                MessageEvent.failed(session, message, 1, "", null));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> !deliverSpansOf(message).isEmpty());
        SpanData span = deliverSpansOf(message).get(0);
        assertThat(span.getParentSpanContext().isValid()).isFalse();
        assertThat(span.getAttributes().get(DeliveryTracing.SUBSCRIBERS)).isZero();
        assertThat(span.getAttributes().get(DeliveryTracing.OUTCOME)).isEqualTo("failed");
    }

    private List<SpanData> deliverSpansOf(String message) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> message.equals(s.getAttributes().get(DeliveryTracing.MESSAGE_ID)))
                .toList();
    }
}
