package io.chatstream.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatstream.contract.event.EventJson;
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
 * The ingress's state as two replicas share it through one PostgreSQL: claims and Idempotency-Keys
 * raced through both have one winner, before and after a restart, and a DELETE forgets for good.
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
    void sessionIdsClaimedByTwoKeysAtOnceThroughTwoReplicasHaveOneOwnerAlsoAfterARestart() throws Exception {
        int sessions = 50;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            ids.add("e2e-claim-" + i + "-" + UUID.randomUUID());
        }
        // For each id, key A through replica 0 and key B through replica 1, at the same moment.
        List<IngressClient.Answer> answers =
                race(2 * sessions, i -> client(i % 2, i % 2 == 0 ? E2eGateway.API_KEY : E2eGateway.OTHER_API_KEY)
                        .post(ids.get(i / 2), "demo", "mine?"));
        List<String> owners = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            int a = answers.get(2 * i).status();
            int b = answers.get(2 * i + 1).status();
            assertThat(List.of(a, b)).as(ids.get(i)).containsExactlyInAnyOrder(202, 404);
            owners.add(a == 202 ? E2eGateway.API_KEY : E2eGateway.OTHER_API_KEY);
        }
        assertOwners(ids, owners);

        for (ServiceProcess ingress : cluster.replicas(GatewayCluster.Role.INGRESS)) {
            ingress.stop();
            ingress.start();
            ingress.awaitReady(Duration.ofSeconds(90));
        }
        assertOwners(ids, owners);
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
        // The running answer is cancelled, and what its connector writes afterwards finds nothing.
        List<JsonNode> frames = stream.awaitMessage(first.messageId(), Duration.ofSeconds(30));
        assertThat(frames.get(frames.size() - 1).path("type").asText()).isEqualTo("message.cancelled");
        Thread.sleep(1000);
        for (int replica = 0; replica < 2; replica++) {
            assertThat(client(replica, E2eGateway.API_KEY)
                            .call("GET", session, "/messages")
                            .statusCode())
                    .isEqualTo(404);
        }

        // The id is free: its next message starts a session with nothing before it.
        IngressClient.Answer again = client(1, E2eGateway.OTHER_API_KEY).post(session, "demo", "a new start");
        assertThat(again.status()).isEqualTo(202);
        JsonNode history = history(0, E2eGateway.OTHER_API_KEY, session);
        assertThat(history.path("messages")).hasSize(1);
        assertThat(history.path("messages").get(0).path("messageId").asText()).isEqualTo(again.messageId());
        stream.close();
    }

    private static void assertOwners(List<String> ids, List<String> owners) throws Exception {
        for (int i = 0; i < ids.size(); i++) {
            String owner = owners.get(i);
            String other = owner.equals(E2eGateway.API_KEY) ? E2eGateway.OTHER_API_KEY : E2eGateway.API_KEY;
            for (int replica = 0; replica < 2; replica++) {
                JsonNode mine = history(replica, owner, ids.get(i));
                assertThat(mine.path("messages")).as(ids.get(i)).hasSize(1);
                assertThat(client(replica, other)
                                .call("GET", ids.get(i), "/messages")
                                .statusCode())
                        .as(ids.get(i) + " for the other key")
                        .isEqualTo(404);
            }
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
