package io.chatstream.session.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chatstream.contract.event.MessageEvent;
import io.chatstream.localkafka.KafkaBrokerTestResource;
import io.chatstream.session.kafka.SessionKafkaClients;
import io.chatstream.session.metrics.SessionMetrics;
import io.chatstream.session.testing.EventProducer;
import io.chatstream.session.testing.Sessions;
import io.chatstream.session.tracing.DeliveryTracing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A reader that starts after the events were published refills the replay buffer from Kafka. A
 * second reader beside the application's, built by hand; a Quarkus test only to share its broker.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class EventReaderRefillTest {

    @Test
    void aFreshReaderReplaysTheWindowAndThenReportsCaughtUp() {
        String session = Sessions.newSessionId();
        String message = Sessions.newMessageId();
        EventProducer.send(
                MessageEvent.started(session, message, "demo", "demo"), MessageEvent.delta(session, message, 1, "Hi"));

        SessionMetrics metrics = new SessionMetrics(new SimpleMeterRegistry());
        SessionRelay relay =
                new SessionRelay(100, 64L << 20, Duration.ofMinutes(10), metrics, Clock.systemUTC(), catchUp -> {});
        EventReader reader = new EventReader(
                relay,
                Duration.ofMinutes(10),
                SessionKafkaClients.of(KafkaBrokerTestResource.broker().bootstrapServers()),
                metrics,
                new DeliveryTracing(OpenTelemetry.noop(), Duration.ofMinutes(10), 100));
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(reader::caughtUp);
            assertThat(relay.bufferedEvents(session)).isEqualTo(2);

            List<String> frames = new ArrayList<>();
            relay.subscribe(session, new StreamStart.InProgress(), new Subscriber() {
                @Override
                public synchronized void deliver(RelayedEvent event) {
                    frames.add(event.frame());
                }

                @Override
                public void close(int code, String reason) {}
            });
            EventProducer.send(MessageEvent.completed(session, message, 2, "Hi", null, null));
            await().atMost(Duration.ofSeconds(10)).until(() -> frames.size() == 3);
            assertThat(frames.get(2)).contains("\"type\":\"message.completed\"").contains("\"cursor\":\"");
        } finally {
            reader.stop();
        }
    }
}
