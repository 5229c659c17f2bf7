package io.chatstream.connector.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.chatstream.contract.CloudEventHeaders;
import io.chatstream.contract.CloudEventRecords;
import io.chatstream.contract.TopicDefinitions;
import io.chatstream.contract.Topics;
import io.chatstream.contract.event.ChatRequestEvent;
import io.chatstream.contract.event.EventJson;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.contract.event.MessageIds;
import io.chatstream.localkafka.KafkaBrokerTestResource;
import io.chatstream.localpostgres.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
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
 * an admin client: the group's committed offset of a partition never passes a request whose
 * terminal event is not on {@code chat.events}; every message ends once, completed, without a
 * {@code message.reset} (the streams finish here before their partitions move).
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OpenAiSimulatorResource.class)
class RebalanceHandOffTest {

    private static final String GROUP = "connector-openai";

    private record Sent(ChatRequestEvent request, TopicPartition partition, long offset) {}

    @Test
    void aMemberThatJoinsTakesPartitionsAndDiesLosesNothingAndRestartsNothing() throws Exception {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() ->
                        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP")));
        String bootstrap = KafkaBrokerTestResource.broker().bootstrapServers();
        List<Sent> sent = new CopyOnWriteArrayList<>();
        List<String> violations = new CopyOnWriteArrayList<>();
        try (EventsCollector events = new EventsCollector(bootstrap);
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                        new StringSerializer(),
                        new ByteArraySerializer());
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (int i = 0; i < 12; i++) {
                sent.add(send(producer, "long answer " + i + " #sim:tokens=120 #sim:pace=25ms"));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> sent.stream()
                    .allMatch(s -> !events.of(s.request().messageId()).isEmpty()));

            Thread sampler = new Thread(() -> sample(admin, events, sent, violations), "offsets-sampler");
            sampler.setDaemon(true);
            sampler.start();

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
            sampler.interrupt();
            sampler.join(2000);
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
            assertThat(violations).as("commits past an unfinished request").isEmpty();
        }
    }

    /**
     * Every 50 ms: each partition's committed offset against its requests without a terminal
     * event. The offsets are read first, then chat.events up to its end at that moment: a request
     * committed past must have its terminal event there.
     */
    private static void sample(Admin admin, EventsCollector events, List<Sent> sent, List<String> violations) {
        List<TopicPartition> eventPartitions = new ArrayList<>();
        for (int p = 0; p < TopicDefinitions.EVENT_PARTITIONS; p++) {
            eventPartitions.add(new TopicPartition(Topics.EVENTS, p));
        }
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                        .partitionsToOffsetAndMetadata()
                        .get();
                Map<TopicPartition, Long> ends = new HashMap<>();
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                eventPartitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
                admin.listOffsets(latest).all().get().forEach((p, info) -> ends.put(p, info.offset()));
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (!events.caughtUpTo(ends) && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                for (Sent s : List.copyOf(sent)) {
                    OffsetAndMetadata c = committed.get(s.partition());
                    if (c != null
                            && c.offset() > s.offset()
                            && !events.ended(s.request().messageId())) {
                        violations.add(s.partition() + " committed " + c.offset() + " past unfinished " + s.offset());
                    }
                }
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // the broker is busy with the rebalance: sample again
            }
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
