package io.chatstream.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatstream.contract.event.EventJson;
import io.chatstream.contract.stream.CloseCodes;
import io.chatstream.testkit.GatewayCluster;
import io.chatstream.testkit.IngressClient;
import io.chatstream.testkit.ServiceProcess;
import io.chatstream.testkit.StreamClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ingress's state as two replicas share it through one PostgreSQL: Idempotency-Keys raced
 * through both have one winner, one id used by two API keys is two sessions that never meet
 * (before and after a restart), and a DELETE forgets for good.
 */
class StateReplicasIT {

    private static GatewayCluster cluster;
    private static ExecutorService pool;

    @BeforeAll
    static void start() {
        cluster = E2eGateway.start(1, 2, Map.of());
        pool = Executors.newFixedThreadPool(16);
    }

    @AfterAll
    static void stop() {
        if (pool != null) {
            pool.shutdownNow();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void concurrentPostsWithOneIdempotencyKeyThroughTwoReplicasMakeOneMessageAndOneAnswer() throws Exception {
        String session = "e2e-idem-" + UUID.randomUUID();
        String body = "{\"bot\":\"demo\",\"text\":\"exactly once\"}";
        List<IngressClient.Answer> answers =
                race(10, i -> client(i % 2, E2eGateway.API_KEY).post(session, body, "one-key", Duration.ofSeconds(30)));

        assertThat(answers).extracting(IngressClient.Answer::status).containsOnly(202);
        Set<String> messageIds = new HashSet<>();
        answers.forEach(answer -> messageIds.add(answer.messageId()));
        assertThat(messageIds).hasSize(1);

        StreamClient stream = StreamClient.open(answers.get(0).streamUrl());
        String messageId = messageIds.iterator().next();
        stream.awaitMessage(messageId, Duration.ofSeconds(30));
        JsonNode history = history(1, E2eGateway.API_KEY, session);
        assertThat(history.path("messages")).hasSize(1);
        assertThat(history.path("messages").get(0).path("status").asText()).isEqualTo("completed");
        stream.close();
    }

    @Test
    void oneIdUsedByTwoKeysAtOnceThroughTwoReplicasIsTwoSessionsThatNeverMeetAlsoAfterARestart() throws Exception {
        int sessions = 50;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            ids.add("e2e-shared-" + i + "-" + UUID.randomUUID());
        }
        // For each id, key A through replica 0 and key B through replica 1, at the same moment.
        List<IngressClient.Answer> answers = race(
                2 * sessions, i -> client(i % 2, keyOf(i)).post(ids.get(i / 2), "demo", "question of " + keyOf(i)));
        // Both are accepted: neither learns that the other uses the id (no 404 against a 202).
        assertThat(answers).extracting(IngressClient.Answer::status).containsOnly(202);
        for (int i = 0; i < 2 * sessions; i++) {
            assertOnlyOwn(ids.get(i / 2), keyOf(i));
        }
        // Each key's stream carries its own answer and nothing of the other's.
        for (int i = 0; i < 20; i++) {
            IngressClient.Answer mine = answers.get(i);
            IngressClient.Answer theirs = answers.get(i ^ 1);
            try (StreamClient stream = StreamClient.open(mine.streamUrl())) {
                stream.awaitMessage(mine.messageId(), Duration.ofSeconds(30));
                assertThat(stream.frames()).as(ids.get(i / 2)).allSatisfy(frame -> assertThat(
                                frame.path("messageId").asText())
                        .isNotEqualTo(theirs.messageId()));
            }
        }

        for (ServiceProcess ingress : cluster.replicas(GatewayCluster.Role.INGRESS)) {
            ingress.stop();
            ingress.start();
            ingress.awaitReady(Duration.ofSeconds(90));
        }
        for (int i = 0; i < 2 * sessions; i++) {
            assertOnlyOwn(ids.get(i / 2), keyOf(i));
        }
    }

    @Test
    void aDeleteWhileAnAnswerStreamsForgetsTheSessionForGood() throws Exception {
        String session = "e2e-forget-" + UUID.randomUUID();
        IngressClient.Answer first = client(0, E2eGateway.API_KEY).post(session, "slow", "a long answer, please");
        assertThat(first.status()).isEqualTo(202);
        StreamClient stream = StreamClient.open(first.streamUrl());
        E2eGateway.waitUntil(() -> stream.framesOf(first.messageId()).size() > 10, "the answer to stream");

        HttpResponse<String> deleted = client(1, E2eGateway.API_KEY).call("DELETE", session, "");
        assertThat(deleted.statusCode()).isEqualTo(204);
        // The session's socket is closed with "session deleted": the client does not come back.
        assertThat(stream.awaitClose(Duration.ofSeconds(10))).isEqualTo(CloseCodes.SESSION_DELETED);
        int framesAtClose = stream.frames().size();
        // Its stream token no longer opens anything: the session is gone.
        StreamClient late = StreamClient.open(first.streamUrl());
        assertThat(late.awaitClose(Duration.ofSeconds(10))).isEqualTo(CloseCodes.SESSION_DELETED);
        assertThat(late.frames()).isEmpty();
        Thread.sleep(2000);
        for (int replica = 0; replica < 2; replica++) {
            assertThat(client(replica, E2eGateway.API_KEY)
                            .call("GET", session, "/messages")
                            .statusCode())
                    .isEqualTo(404);
        }
        assertThat(stream.frames()).hasSize(framesAtClose);

        // The id used again by the same key is a new session: nothing before its first message.
        IngressClient.Answer again = client(1, E2eGateway.API_KEY).post(session, "demo", "a new start");
        assertThat(again.status()).isEqualTo(202);
        JsonNode history = history(0, E2eGateway.API_KEY, session);
        assertThat(history.path("messages")).hasSize(1);
        assertThat(history.path("messages").get(0).path("messageId").asText()).isEqualTo(again.messageId());
        // Nor does its stream reach back into the deleted session's events.
        try (StreamClient renewed = StreamClient.open(again.streamUrl())) {
            renewed.awaitMessage(again.messageId(), Duration.ofSeconds(30));
            assertThat(renewed.framesOf(first.messageId())).isEmpty();
        }
    }

    private static String keyOf(int i) {
        return i % 2 == 0 ? E2eGateway.API_KEY : E2eGateway.OTHER_API_KEY;
    }

    /** The key's session of this id holds its own question and nothing of the other key's, on both replicas. */
    private static void assertOnlyOwn(String id, String apiKey) throws Exception {
        for (int replica = 0; replica < 2; replica++) {
            JsonNode history = history(replica, apiKey, id);
            assertThat(history.path("messages")).as(id).hasSize(1);
            assertThat(history.path("messages").get(0).path("question").asText())
                    .as(id)
                    .isEqualTo("question of " + apiKey);
        }
    }

    private static IngressClient client(int replica, String apiKey) {
        return new IngressClient(
                cluster.replicas(GatewayCluster.Role.INGRESS).get(replica).baseUrl(), apiKey);
    }

    private static JsonNode history(int replica, String apiKey, String session) throws Exception {
        HttpResponse<String> response = client(replica, apiKey).call("GET", session, "/messages");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return EventJson.mapper().readTree(response.body());
    }

    /** {@code count} calls released at once; their answers in call order. */
    private static List<IngressClient.Answer> race(int count, java.util.function.IntFunction<IngressClient.Answer> call)
            throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<IngressClient.Answer>> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            Supplier<IngressClient.Answer> task = () -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return call.apply(index);
            };
            calls.add(CompletableFuture.supplyAsync(task, pool));
        }
        go.countDown();
        List<IngressClient.Answer> answers = new ArrayList<>();
        for (CompletableFuture<IngressClient.Answer> answer : calls) {
            answers.add(answer.get());
        }
        return answers;
    }
}
