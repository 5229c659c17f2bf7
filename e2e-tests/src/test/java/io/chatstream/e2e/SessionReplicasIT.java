package io.chatstream.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatstream.contract.Topics;
import io.chatstream.contract.event.EventJson;
import io.chatstream.testkit.GatewayCluster;
import io.chatstream.testkit.IngressClient;
import io.chatstream.testkit.StreamClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two session-service processes side by side on a real broker: clients dropped at random moments
 * resume on the other replica with their last cursor and end with exactly their session's events
 * as Kafka holds them. Memory keeps 40 events per session, so most resumes read Kafka.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SessionReplicasIT {

    private static final int SESSIONS = 5;
    private static GatewayCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = E2eGateway.start(
                2,
                Map.of(
                        "GATEWAY_BOTS_LONG_PROVIDER", "demo",
                        "GATEWAY_BOTS_LONG_TOKENS", "250",
                        "GATEWAY_BOTS_LONG_PACE", "8ms",
                        "GATEWAY_STREAM_REPLAY_MAX_EVENTS_PER_SESSION", "40"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void clientsDroppedAtRandomAndResumedOnTheOtherReplicaGetEveryEventOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(SESSIONS);
        List<CompletableFuture<Run>> runs = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            long seed = 7919L * (i + 1);
            runs.add(CompletableFuture.supplyAsync(() -> churn(seed), pool));
        }
        List<Run> done = runs.stream().map(CompletableFuture::join).toList();
        pool.shutdown();

        Map<String, List<Event>> kafka = readKafka(
                done.stream().map(Run::session).toList(),
                done.stream().mapToInt(run -> run.messages().size()).sum());
        int reconnects = 0;
        int frames = 0;
        int merged = 0;
        for (Run run : done) {
            List<JsonNode> received = run.stream().frames();
            assertExactly(received, kafka.get(run.session()), run.session());
            reconnects += run.stream().connections() - 1;
            frames += received.size();
            merged += (int) received.stream().filter(f -> f.has("fromSeq")).count();
        }
        System.out.printf(
                "replicas figures: %d sessions, %d frames, %d reconnects alternating replicas, %d merged deltas;"
                        + " catch-ups from Kafka: replica-1 %s, replica-2 %s%n",
                SESSIONS, frames, reconnects, merged, metric(0), metric(1));
        assertThat(reconnects).isGreaterThanOrEqualTo(SESSIONS * 3);
    }

    @Test
    @Order(2)
    void aClientJoiningInTheMiddleOfAnAnswerGetsItFromItsFirstToken() throws Exception {
        String session = "e2e-late-" + UUID.randomUUID();
        StreamClient watcher = new StreamClient(session, token(session));
        watcher.connect(cluster.sessions().get(0).port());
        String message = post(session);
        E2eGateway.waitUntil(() -> watcher.frames().size() > 100, "the answer to pass 100 events");

        // On the other replica, past its 40 events of memory: the start comes from Kafka.
        StreamClient late = new StreamClient(session, token(session));
        late.connect(cluster.sessions().get(1).port());
        E2eGateway.waitUntil(
                () -> watcher.ended(List.of(message)) && late.ended(List.of(message)), "the answer to end");

        assertThat(late.frames().get(0).path("type").asText()).isEqualTo("message.started");
        assertThat(late.frames()).isEqualTo(watcher.frames());
        late.drop();
        watcher.drop();
    }

    @Test
    @Order(3)
    void aReplicaShuttingDownSays1001AndItsClientsResumeOnTheOther() throws Exception {
        String session = "e2e-shutdown-" + UUID.randomUUID();
        StreamClient stream = new StreamClient(session, token(session));
        stream.connect(cluster.sessions().get(1).port());
        String message = post(session);
        E2eGateway.waitUntil(() -> stream.frames().size() > 50, "the answer to pass 50 events");

        CompletableFuture<Integer> closed = stream.closed();
        cluster.sessions().get(1).close();
        assertThat(closed.get(20, TimeUnit.SECONDS)).isEqualTo(1001);
        stream.connect(cluster.sessions().get(0).port());
        E2eGateway.waitUntil(() -> stream.ended(List.of(message)), "the answer to end");

        assertExactly(stream.frames(), readKafka(List.of(session), 1).get(session), session);
    }

    record Run(String session, List<String> messages, StreamClient stream) {}

    /**
     * One session: two long answers, the client dropped every 0.15–0.9 s and resumed elsewhere with
     * its cursor, as an app does.
     */
    private static Run churn(long seed) {
        Random random = new Random(seed);
        String session = "e2e-churn-" + UUID.randomUUID();
        StreamClient stream = new StreamClient(session, token(session));
        int replica = 0;
        stream.connect(cluster.sessions().get(replica).port());
        try {
            List<String> messages = List.of(post(session), post(session));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!stream.ended(messages)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("answers did not end in time: " + diagnose(session, messages, stream));
                }
                Thread.sleep(150 + random.nextInt(750));
                stream.drop();
                replica = 1 - replica;
                // Before its first frame, a client that was dropped asks for its message by id:
                // on a loaded machine a first connection can end before the replica relayed anything.
                stream.connect(cluster.sessions().get(replica).port(), messages.get(0));
            }
            Thread.sleep(300);
            stream.drop();
            return new Run(session, messages, stream);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the client got of each message, and what the ingress's history says of it. */
    private static String diagnose(String session, List<String> messages, StreamClient stream) {
        StringBuilder out = new StringBuilder("session " + session + ", " + stream.connections()
                + " connections, last cursor " + stream.lastCursor());
        for (String message : messages) {
            List<JsonNode> of = stream.framesOf(message);
            out.append("; ").append(message).append(": ").append(of.size()).append(" frames, last ");
            out.append(of.isEmpty() ? "none" : of.get(of.size() - 1).toString());
        }
        try {
            out.append("; history: ")
                    .append(cluster.ingressClient()
                            .call("GET", session, "/messages")
                            .body());
        } catch (Exception e) {
            out.append("; history unavailable: ").append(e);
        }
        return out.toString();
    }

    record Event(String cursor, String type, String messageId, long seq) {}

    /**
     * Every frame, merged deltas expanded into the seqs they cover, must be exactly Kafka's
     * events of the session, in order, with the same cursors: no gap, no duplicate.
     */
    private static void assertExactly(List<JsonNode> frames, List<Event> expected, String session) {
        List<Event> received = new ArrayList<>();
        Map<String, StringBuilder> texts = new HashMap<>();
        for (JsonNode frame : frames) {
            String type = frame.path("type").asText();
            String messageId = frame.path("messageId").asText();
            long seq = frame.path("seq").asLong();
            long from = frame.has("fromSeq") ? frame.get("fromSeq").asLong() : seq;
            for (long s = from; s <= seq; s++) {
                received.add(new Event(s == seq ? frame.path("cursor").asText() : null, type, messageId, s));
            }
            if (type.equals("message.delta")) {
                texts.computeIfAbsent(messageId, id -> new StringBuilder())
                        .append(frame.path("text").asText());
            } else if (StreamClient.isTerminal(frame)) {
                assertThat(texts.get(messageId).toString())
                        .as("deltas of " + messageId)
                        .isEqualTo(frame.path("text").asText());
            }
        }
        assertThat(received).as(session).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            Event want = expected.get(i);
            Event got = received.get(i);
            Event comparable = got.cursor() == null ? new Event(null, want.type(), want.messageId(), want.seq()) : want;
            assertThat(got).as(session + " event " + i).isEqualTo(comparable);
        }
    }

    /** The sessions' events as Kafka has them, once {@code messages} terminal events are there. */
    private static Map<String, List<Event>> readKafka(List<String> sessions, int messages) throws Exception {
        Map<String, List<Event>> events = new HashMap<>();
        sessions.forEach(session -> events.put(session, new ArrayList<>()));
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS).stream()
                    .map(info -> new TopicPartition(Topics.EVENTS, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            int terminals = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (terminals < messages && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() == null) {
                        continue;
                    }
                    JsonNode value = EventJson.mapper().readTree(record.value());
                    List<Event> of = events.get(value.path("sessionId").asText());
                    if (of == null) {
                        continue;
                    }
                    of.add(new Event(
                            record.partition() + "-" + record.offset(),
                            value.path("type").asText(),
                            value.path("messageId").asText(),
                            value.path("seq").asLong()));
                    terminals += StreamClient.isTerminal(value) ? 1 : 0;
                }
            }
        }
        return events;
    }

    private static String token(String session) {
        return cluster.streamToken(session);
    }

    private static String post(String session) {
        IngressClient.Answer answer = cluster.ingressClient()
                .post(session, "{\"bot\":\"long\",\"text\":\"tell me a long story\"}", null, Duration.ofSeconds(30));
        assertThat(answer.status()).isEqualTo(202);
        return answer.messageId();
    }

    private static String metric(int replica) {
        return cluster.sessions()
                .get(replica)
                .metrics()
                .lines()
                .filter(line -> line.startsWith("gateway_session_replays_from_kafka_total"))
                .map(line -> line.substring(line.lastIndexOf(' ') + 1))
                .findFirst()
                .orElse("?");
    }
}
