package io.chatstream.connector.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.chatstream.contract.Topics;
import io.chatstream.contract.event.ChatRequestEvent;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.contract.event.MessageIds;
import io.chatstream.localkafka.KafkaBrokerTestResource;
import io.chatstream.localpostgres.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * A member joins while long answers stream, so the connector hands partitions off: it waits, up
 * to its hand-off timeout (30 s), for their streams to finish, and meanwhile does not poll. A
 * user who cancels then must not wait for that: every cancelled message ends {@code cancelled}
 * within a second or two of its cancel, not completed after the hand-off.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OpenAiSimulatorResource.class)
class HandOffCancelTest {

    @Test
    void aCancelSentDuringAHandOffActsAtOnce() throws Exception {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() ->
                        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP")));
        String bootstrap = KafkaBrokerTestResource.broker().bootstrapServers();
        List<ChatRequestEvent> requests = new ArrayList<>();
        AtomicBoolean intruding = new AtomicBoolean(true);
        try (EventsCollector events = new EventsCollector(bootstrap);
                RequestsProducer producer = RequestsProducer.whenReady(Duration.ofSeconds(30))) {
            // Answers of ~15 s: still streaming when cancelled, well within the hand-off timeout.
            for (int i = 0; i < 8; i++) {
                ChatRequestEvent request = request("cancel me " + i + " #sim:tokens=600 #sim:pace=25ms");
                producer.send("openai", request);
                requests.add(request);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> requests.stream()
                    .allMatch(r -> events.of(r.messageId()).size() > 3));

            Thread intruder = new Thread(() -> intrude(bootstrap, intruding), "intruder");
            intruder.start();
            // Long enough for the join to reach the connector, whose revocation then waits for streams.
            Thread.sleep(3000);
            Instant cancelled = Instant.now();
            requests.forEach(r -> producer.sendCancel("openai", r));

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> requests.stream().allMatch(r -> events.ended(r.messageId())));
            Instant ended = Instant.now();
            intruding.set(false);
            intruder.join(10_000);

            for (ChatRequestEvent request : requests) {
                List<MessageEvent> of = events.events(request.messageId());
                assertThat(of.get(of.size() - 1)).as(request.text()).isInstanceOf(MessageEvent.Cancelled.class);
            }
            assertThat(Duration.between(cancelled, ended)).isLessThan(Duration.ofSeconds(4));
        }
    }

    /** A group member that joins and keeps polling, so that the connector gives partitions away. */
    private static void intrude(String bootstrap, AtomicBoolean intruding) {
        try (KafkaConsumer<String, byte[]> member = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "connector-openai",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        "false",
                        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                        CooperativeStickyAssignor.class.getName()),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            member.subscribe(List.of(Topics.requests("openai")));
            while (intruding.get()) {
                member.poll(Duration.ofMillis(100));
            }
        }
    }

    private static ChatRequestEvent request(String text) {
        Instant now = Instant.now();
        return new ChatRequestEvent(
                "s-" + UUID.randomUUID(), MessageIds.newId(now), "openai", "openai", text, Map.of(), "k-test", now);
    }
}
