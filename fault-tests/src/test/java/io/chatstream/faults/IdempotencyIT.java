package io.chatstream.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.testkit.IngressClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The same {@code Idempotency-Key} sent many times at once, and again after the client gave up
 * waiting: one request on Kafka, one message, one answer, and every 202 names it.
 */
@Order(40)
class IdempotencyIT {

    private static FaultGateway cluster;
    private static IngressClient api;

    @BeforeAll
    static void start() throws Exception {
        cluster = FaultGateway.shared();
        api = cluster.api();
    }

    @Test
    void concurrentRetriesAndRetriesAfterTimeoutsYieldOneMessage() throws Exception {
        int keys = Scale.of(12, 100);
        int concurrent = Scale.of(8, 16);
        String run = UUID.randomUUID().toString().substring(0, 8);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        Map<Integer, List<CompletableFuture<IngressClient.Answer>>> answers = new HashMap<>();
        int sent = 0;
        for (int k = 0; k < keys; k++) {
            String session = "idem-" + run + "-" + k;
            String body = "{\"bot\":\"quick\",\"text\":\"idempotent " + run + " " + k + "\"}";
            String key = "key-" + run + "-" + k;
            List<CompletableFuture<IngressClient.Answer>> of = new ArrayList<>();
            if (k % 2 == 1) {
                // A client that gives up after 1 ms, then retries with the same key.
                of.add(CompletableFuture.completedFuture(api.post(session, body, key, Duration.ofMillis(1))));
                sent++;
            }
            for (int c = 0; c < concurrent; c++) {
                of.add(CompletableFuture.supplyAsync(() -> api.post(session, body, key, Duration.ofSeconds(30)), pool));
                sent++;
            }
            answers.put(k, of);
        }
        Map<String, Instant> accepted = new HashMap<>();
        int accepted202 = 0;
        int timedOut = 0;
        int keysWithOneId = 0;
        Map<Integer, Integer> statuses = new HashMap<>();
        for (var entry : answers.entrySet()) {
            Set<String> ids = new HashSet<>();
            for (CompletableFuture<IngressClient.Answer> future : entry.getValue()) {
                IngressClient.Answer answer = future.join();
                statuses.merge(answer.status(), 1, Integer::sum);
                if (answer.status() == 202) {
                    accepted202++;
                    ids.add(answer.messageId());
                    accepted.putIfAbsent(answer.messageId(), answer.at());
                } else if (answer.status() == -1) {
                    timedOut++;
                }
            }
            if (ids.size() == 1) {
                keysWithOneId++;
            }
        }
        // The same key with another body is a conflict.
        IngressClient.Answer conflict = api.post(
                "idem-" + run + "-0",
                "{\"bot\":\"quick\",\"text\":\"something else\"}",
                "key-" + run + "-0",
                Duration.ofSeconds(30));
        pool.shutdown();

        boolean ended = cluster.events.awaitEnded(accepted.keySet(), Duration.ofSeconds(60));
        Verdict verdict = Verdict.of(cluster.events, accepted);
        Map<String, java.util.Set<String>> written =
                RequestLog.messageIdsByText(cluster.bootstrapServers(), "demo", "idempotent " + run);
        long twice = written.values().stream().filter(ids -> ids.size() > 1).count();
        Figures.row(
                "idempotency: same key concurrently and after client timeouts",
                verdict,
                keys + " keys, " + sent + " POSTs (" + timedOut + " given up by the client after 1 ms) → " + statuses
                        + "; " + keysWithOneId + "/" + keys + " keys answered with one messageId; " + written.size()
                        + " texts on Kafka, " + twice + " with two messageIds; same key other body → "
                        + conflict.status());
        assertThat(keysWithOneId).isEqualTo(keys);
        assertThat(accepted).hasSize(keys);
        assertThat(written).hasSize(keys);
        assertThat(twice).isZero();
        assertThat(ended).isTrue();
        assertThat(verdict.clean()).isTrue();
        assertThat(conflict.status()).isEqualTo(422);
        assertThat(statuses.keySet()).allMatch(s -> s == 202 || s == -1);
        assertThat(accepted202).isGreaterThanOrEqualTo(keys * concurrent);
    }
}
