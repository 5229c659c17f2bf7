package io.chatstream.session.metrics;

import static io.chatstream.session.testing.Sessions.newMessageId;
import static io.chatstream.session.testing.Sessions.newSessionId;
import static io.chatstream.session.testing.Sessions.streamUri;
import static io.chatstream.session.testing.Sessions.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.localkafka.KafkaBrokerTestResource;
import io.chatstream.session.relay.EventReader;
import io.chatstream.session.relay.SessionRelay;
import io.chatstream.session.testing.EventProducer;
import io.chatstream.session.testing.MetricsScrape;
import io.chatstream.session.testing.StreamClient;
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
 * The session-service's meters as Prometheus scrapes them: what a client was sent is what
 * {@code /q/metrics} counts (as the difference between two scrapes: the application is shared).
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class SessionMetricsTest {

    private static final String DELIVERED = "gateway_session_events_delivered_total{type=\"%s\"}";
    private static final String LAG_COUNT = "gateway_session_delivery_lag_seconds_count";
    private static final String RESUMES = "gateway_session_resumes_total{result=\"%s\",source=\"%s\"}";

    @TestHTTPResource("/")
    URL base;

    @Inject
    EventReader reader;

    @Inject
    SessionRelay relay;

    @BeforeEach
    void readerIsLive() {
        await().atMost(Duration.ofSeconds(30)).until(reader::caughtUp);
    }

    @Test
    void framesSentToAClientAreCountedByTypeAndLiveOnesTimed() {
        String session = newSessionId();
        String message = newMessageId();
        MetricsScrape before = MetricsScrape.now();
        try (StreamClient client = connect(session, "")) {
            await().until(() -> relay.subscribers(session).size() == 1);
            // Other classes' clients may still be closing: the gauge is compared with the relay.
            await().untilAsserted(() -> assertThat(MetricsScrape.now().value("gateway_session_connections"))
                    .isEqualTo(relay.subscribers().size())
                    .isPositive());
            EventProducer.send(
                    MessageEvent.started(session, message, "demo", "demo"),
                    MessageEvent.delta(session, message, 1, "Hel"),
                    MessageEvent.delta(session, message, 2, "lo"),
                    MessageEvent.completed(session, message, 3, "Hello", null, null));
            List<JsonNode> frames = client.awaitFrames(4);

            MetricsScrape after = MetricsScrape.now();
            for (String type : List.of(MessageEvent.STARTED, MessageEvent.DELTA, MessageEvent.COMPLETED)) {
                long received = frames.stream()
                        .filter(f -> type.equals(f.get("type").asText()))
                        .count();
                assertThat(after.increase(before, DELIVERED.formatted(type)))
                        .as("frames of type %s", type)
                        .isEqualTo(received)
                        .isPositive();
            }
            // Published after the client subscribed: all four are live, each timed once.
            assertThat(after.increase(before, LAG_COUNT)).isEqualTo(4);
            assertThat(after.text()).contains("gateway_session_delivery_lag_seconds_bucket{le=");
            assertThat(after.increase(before, "gateway_session_events_relayed_total"))
                    .isGreaterThanOrEqualTo(4);
            // The replay memory holds (at least) these four events.
            assertThat(after.value("gateway_session_replay_events")).isGreaterThanOrEqualTo(4);
            assertThat(after.value("gateway_session_replay_bytes")).isPositive();
        }
    }

    @Test
    void cursorResumesAreCountedByHowTheyWereAnsweredAndTheirReplaysAreNotTimed() {
        String session = newSessionId();
        String message = newMessageId();
        String cursor;
        try (StreamClient client = connect(session, "")) {
            await().until(() -> relay.subscribers(session).size() == 1);
            EventProducer.send(
                    MessageEvent.started(session, message, "demo", "demo"),
                    MessageEvent.delta(session, message, 1, "Hel"),
                    MessageEvent.delta(session, message, 2, "lo"));
            cursor = client.awaitFrames(3).get(1).get("cursor").asText();
        }
        MetricsScrape before = MetricsScrape.now();

        // In memory: the one delta after the cursor is replayed, not timed (its age is history).
        try (StreamClient resumed = connect(session, "cursor=" + cursor)) {
            assertThat(resumed.awaitFrames(1).get(0).get("seq").asLong()).isEqualTo(2);
        }
        // Unreadable: cursor_expired without asking Kafka. Another session's: Kafka checks, expired.
        // Both are then sent the messages in progress: the garbled one this session's three frames.
        try (StreamClient garbled = connect(session, "cursor=not-a-cursor");
                StreamClient foreign = connect(newSessionId(), "cursor=" + cursor)) {
            List<JsonNode> frames = garbled.awaitFrames(4);
            assertThat(frames.get(0).get("code").asText()).isEqualTo("cursor_expired");
            assertThat(frames.get(3).get("seq").asLong()).isEqualTo(2);
            assertThat(foreign.awaitFrames(1).get(0).get("code").asText()).isEqualTo("cursor_expired");
        }

        // A resume from memory is counted as its subscription returns, maybe just after its frames left.
        await().untilAsserted(() -> {
            MetricsScrape after = MetricsScrape.now();
            assertThat(after.increase(before, RESUMES.formatted("served", "memory")))
                    .isEqualTo(1);
            assertThat(after.increase(before, RESUMES.formatted("cursor_expired", "memory")))
                    .isEqualTo(1);
            assertThat(after.increase(before, RESUMES.formatted("cursor_expired", "kafka")))
                    .isEqualTo(1);
            assertThat(after.increase(before, RESUMES.formatted("served", "kafka")))
                    .isZero();
            assertThat(after.increase(before, DELIVERED.formatted("stream.error")))
                    .isEqualTo(2);
            // Deltas: one to the resumed stream, two to the garbled one; all replays, none timed.
            assertThat(after.increase(before, DELIVERED.formatted(MessageEvent.DELTA)))
                    .isEqualTo(3);
            assertThat(after.increase(before, LAG_COUNT)).isZero();
        });
    }

    private StreamClient connect(String session, String query) {
        return StreamClient.connect(streamUri(base, session, token(session), query));
    }
}
