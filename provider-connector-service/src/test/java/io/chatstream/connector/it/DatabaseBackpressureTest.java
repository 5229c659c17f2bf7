package io.chatstream.connector.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chatstream.contract.event.ChatRequestEvent;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.contract.event.MessageIds;
import io.chatstream.localkafka.KafkaBrokerTestResource;
import io.chatstream.localpostgres.PostgresTestResource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A database that stops taking writes while requests keep coming: the connector stops reading
 * requests once its database queue is at its bound (8 here), reads on when the writes go through,
 * and loses none: every message completes and its history row ends {@code completed}.
 */
@QuarkusTest
@TestProfile(DatabaseBackpressureTest.SmallDatabaseQueue.class)
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(PostgresTestResource.class)
class DatabaseBackpressureTest {

    private static final int BOUND = 8;
    private static final Duration WAIT = Duration.ofSeconds(60);

    public static final class SmallDatabaseQueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.connector.database-max-queued", String.valueOf(BOUND));
        }
    }

    @Inject
    MeterRegistry meters;

    @Test
    void aDatabaseThatHoldsWritesStopsTheReadingAndNothingIsLost() throws Exception {
        List<ChatRequestEvent> first = requests(30);
        List<ChatRequestEvent> second = requests(30);
        first.forEach(GatewayState::accepted);
        second.forEach(GatewayState::accepted);
        try (RequestsProducer producer = RequestsProducer.whenReady(WAIT);
                EventsCollector events =
                        new EventsCollector(KafkaBrokerTestResource.broker().bootstrapServers())) {
            try (AutoCloseable held = GatewayState.writesHeld()) {
                first.forEach(request -> producer.send("demo", request));
                // Answers end, their outcomes wait on the lock, and the loads queue behind them.
                await().atMost(WAIT).until(() -> databaseQueued() >= BOUND);
                // The request loop pauses at its next poll (every 100 ms): what comes now waits in Kafka.
                Thread.sleep(500);
                second.forEach(request -> producer.send("demo", request));
                await().during(Duration.ofSeconds(2))
                        .atMost(Duration.ofSeconds(3))
                        .until(() -> second.stream().allMatch(request -> events.events(request.messageId())
                                .isEmpty()));
            }

            for (ChatRequestEvent request : concat(first, second)) {
                await().atMost(WAIT).until(() -> events.ended(request.messageId()));
                List<MessageEvent> ofMessage = events.events(request.messageId());
                assertThat(ofMessage.get(ofMessage.size() - 1).type()).isEqualTo(MessageEvent.COMPLETED);
                await().atMost(WAIT).untilAsserted(() -> assertThat(
                                GatewayState.message(request.sessionId(), request.messageId()))
                        .hasValueSatisfying(row -> assertThat(row.status()).isEqualTo("completed")));
            }
        }
        assertThat(meters.find("gateway.connector.database.failures").counters().stream()
                        .mapToDouble(Counter::count)
                        .sum())
                .as("database calls failed or refused")
                .isZero();
    }

    private double databaseQueued() {
        return meters.get("gateway.connector.database.queued").gauge().value();
    }

    private static List<ChatRequestEvent> requests(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> {
                    Instant now = Instant.now();
                    return new ChatRequestEvent(
                            "s-" + UUID.randomUUID(),
                            MessageIds.newId(now),
                            "demo",
                            "demo",
                            "Hold me " + i,
                            Map.of(),
                            GatewayState.OWNER,
                            now);
                })
                .toList();
    }

    private static List<ChatRequestEvent> concat(List<ChatRequestEvent> a, List<ChatRequestEvent> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
