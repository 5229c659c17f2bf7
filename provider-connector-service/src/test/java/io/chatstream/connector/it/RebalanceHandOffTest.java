package io.chatstream.connector.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.chatstream.contract.CloudEventHeaders;
import io.chatstream.contract.CloudEventRecords;
import io.chatstream.contract.Topics;
import io.chatstream.contract.event.ChatRequestEvent;
import io.chatstream.contract.event.EventJson;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.contract.event.MessageIds;
import io.chatstream.localkafka.KafkaBrokerTestResource;
import io.chatstream.localpostgres.PostgresTestResource;
import io.chatstream.testkit.CommitWatch;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A member joins the connector's group while long answers stream, takes partitions, reads
 * requests and dies without committing, as a crashed new replica would. Watched from outside with
 * an admin client ({@link CommitWatch}): the group's committed offset of a partition never passes a request whose
 * terminal event is not on {@code chat.events}; every message ends once, completed, without a
 * {@code message.reset} (the streams finish here before their partitions move).
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OpenAiSimulatorResource.class)
class RebalanceHandOffTest {

    private static final String GROUP = "connector-openai";

    private record Sent(ChatRequestEvent request, TopicPartition partition, long offset) {
        CommitWatch.Request place() {
            return new CommitWatch.Request(request.messageId(), partition, offset);
        }
    }

    @Test
    void aMemberThatJoinsTakesPartitionsAndDiesLosesNothingAndRestartsNothing() throws Exception {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() ->
                        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP")));
        String bootstrap = KafkaBrokerTestResource.broker().bootstrapServers();
        List<Sent> sent = new CopyOnWriteArrayList<>();
        try (EventsCollector events = new EventsCollector(bootstrap);
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            for (int i = 0; i < 12; i++) {
                sent.add(send(producer, "long answer " + i + " #sim:tokens=120 #sim:pace=25ms"));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> sent.stream()
                    .allMatch(s -> !events.of(s.request().messageId()).isEmpty()));

            // Every request is known once sent (send waits for the broker's acknowledgement).
            CommitWatch watch = new CommitWatch(bootstrap, "openai", new CommitWatch.Known() {
                @Override
                public Collection<CommitWatch.Request> requests() {
                    return sent.stream().map(Sent::place).toList();
                }

                @Override
                public boolean caughtUp(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> eventEnds) {
                    return events.caughtUpTo(eventEnds);
                }

                // Without the events' offsets here: a terminal event written after the sample counts
                // too, which can only hide a violation seen a moment late, never invent one.
                @Override
                public boolean endedBefore(String messageId, Map<TopicPartition, Long> eventEnds) {
                    return events.ended(messageId);
                }
            });

            // The intruder: joins, is handed partitions once their streams ended, reads, never commits.
            Map<TopicPartition, Integer> intruderRead = new ConcurrentHashMap<>();
            try (KafkaConsumer<String, byte[]> intruder = intruder(bootstrap)) {
                intruder.subscribe(List.of(Topics.requests("openai")));
                long until = System.nanoTime() + Duration.ofSeconds(12).toNanos();
                boolean sentDuring = false;
                while (System.nanoTime() < until) {
                    intruder.poll(Duration.ofMillis(100))
                            .forEach(r ->
                                    intruderRead.merge(new TopicPartition(r.topic(), r.partition()), 1, Integer::sum));
                    if (!sentDuring && !intruder.assignment().isEmpty()) {
                        // Requests written while it owns partitions: read by it, lost with it, never answered by it.
                        for (int i = 0; i < 8; i++) {
                            sent.add(send(producer, "during the intrusion " + i + " #sim:tokens=20"));
                        }
                        sentDuring = true;
                    }
                }
                assertThat(sentDuring).as("the intruder was given partitions").isTrue();
            } // closed without a commit: its partitions come back to the connector

            await().atMost(Duration.ofSeconds(60)).until(() -> sent.stream()
                    .allMatch(s -> events.ended(s.request().messageId())));
            watch.close();
            assertThat(intruderRead).as("the intruder read requests").isNotEmpty();

            for (Sent s : sent) {
                List<MessageEvent> ofMessage = events.events(s.request().messageId());
                assertThat(ofMessage.stream().filter(MessageEvent::isTerminal))
                        .as("terminal events of %s", s.request().text())
                        .hasSize(1);
                assertThat(ofMessage)
                        .as("no restart of %s", s.request().text())
                        .noneMatch(MessageEvent.Reset.class::isInstance);
                assertThat(ofMessage.get(ofMessage.size() - 1)).isInstanceOf(MessageEvent.Completed.class);
                for (int i = 0; i < ofMessage.size(); i++) {
                    assertThat(ofMessage.get(i).seq()).isEqualTo(i);
                }
            }
            assertThat(watch.samples()).as("offset samples").isPositive();
            assertThat(watch.violating())
                    .as("commits past an unfinished request")
                    .isEmpty();
        }
    }

    private static KafkaConsumer<String, byte[]> intruder(String bootstrap) {
        return new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        GROUP,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        "false",
                        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                        CooperativeStickyAssignor.class.getName()),
                new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    private static Sent send(KafkaProducer<String, byte[]> producer, String text) throws Exception {
        Instant now = Instant.now();
        ChatRequestEvent request = new ChatRequestEvent(
                "s-" + UUID.randomUUID(), MessageIds.newId(now), "openai", "openai", text, Map.of(), "k-test", now);
        RecordMetadata written = producer.send(new ProducerRecord<>(
                        Topics.requests("openai"),
                        null,
                        request.sessionId(),
                        EventJson.encode(request),
                        CloudEventRecords.headers(
                                CloudEventHeaders.TYPE_REQUEST, request.messageId(), "/test", Instant.now())))
                .get();
        return new Sent(request, new TopicPartition(written.topic(), written.partition()), written.offset());
    }
}
