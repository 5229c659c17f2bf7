package io.chatstream.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.contract.event.EventJson;
import io.chatstream.testkit.ChildProcess;
import io.chatstream.testkit.IngressClient;
import io.chatstream.testkit.ServiceProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The database is stopped while answers stream, and started again: while it is down the ingress
 * answers 503 within 5 s and accepts nothing; the answers already accepted stream on (Kafka holds
 * them) and end exactly once, and their outcome reaches history once the database is back; a
 * request refused with 503 and retried with its {@code Idempotency-Key} becomes exactly one message.
 */
@Order(75)
class DatabaseRestartIT {

    private static FaultGateway cluster;
    private static IngressClient api;

    @BeforeAll
    static void start() throws Exception {
        cluster = FaultGateway.shared();
        api = cluster.api();
    }

    @Test
    void databaseStoppedAndRestarted() throws Exception {
        int before = Scale.of(8, 40);
        int during = Scale.of(6, 30);
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, Instant> accepted = new LinkedHashMap<>();
        Map<String, String> sessionOf = new HashMap<>();
        for (int i = 0; i < before; i++) {
            String session = "db-" + run + "-" + i;
            IngressClient.Answer answer = api.post(session, "long", "before the outage " + i);
            assertThat(answer.status()).isEqualTo(202);
            accepted.put(answer.messageId(), answer.at());
            sessionOf.put(answer.messageId(), session);
        }
        ConnectorKillIT.await(
                () -> accepted.keySet().stream()
                                .filter(id -> cluster.events.of(id).size() > 3)
                                .count()
                        >= before / 2,
                "half the answers streaming");

        cluster.stopDatabase();
        Instant stopped = Instant.now();
        OutagePosts posts = new OutagePosts(api, "db-down-" + run + "-", "during the db outage " + run, during);
        OutagePosts.Refusals refusals = posts.whileDown();
        // The answers accepted before stream on: their events are on Kafka, not in the database.
        boolean endedWhileDown = cluster.events.awaitEnded(accepted.keySet(), Duration.ofSeconds(60));
        ChildProcess.sleep(Scale.of(1_000, 15_000));
        cluster.startDatabase();
        Duration down = Duration.between(stopped, Instant.now());
        for (ServiceProcess service : cluster.all()) {
            service.awaitReady(Duration.ofSeconds(120));
        }
        Map<String, Instant> retried = posts.retryUntilAccepted();
        accepted.putAll(retried);
        int n = 0;
        for (String messageId : retried.keySet()) {
            sessionOf.put(messageId, posts.session(n++));
        }

        boolean ended = cluster.events.awaitEnded(accepted.keySet(), Duration.ofSeconds(120));
        Verdict verdict = Verdict.of(cluster.events, accepted);
        Map<String, Set<String>> requestsPerText =
                RequestLog.messageIdsByText(cluster.bootstrapServers(), "demo", "during the db outage " + run);
        long duplicateRequests =
                requestsPerText.values().stream().filter(ids -> ids.size() > 1).count();
        long pendingInHistory = awaitHistory(sessionOf, Duration.ofSeconds(30));
        Figures.row(
                "database stopped " + Figures.seconds(down) + " and restarted",
                verdict,
                "while down: " + during + " POSTs → " + refusals.statuses() + ", slowest "
                        + Figures.seconds(refusals.slowest())
                        + "; the " + before + " answers accepted before ended while it was down: " + endedWhileDown
                        + "; each refused POST retried with its Idempotency-Key after: " + requestsPerText.size()
                        + " texts on Kafka, " + duplicateRequests + " with two messageIds; messages still pending"
                        + " in history 30 s after: " + pendingInHistory);
        assertThat(refusals.statuses()).containsOnlyKeys(503);
        assertThat(refusals.slowest()).isLessThan(Duration.ofMillis(5500));
        assertThat(endedWhileDown).as("answers stream on without the database").isTrue();
        assertThat(ended).as("every acknowledged message ended").isTrue();
        assertThat(verdict.problems()).isEmpty();
        assertThat(verdict.clean()).isTrue();
        assertThat(duplicateRequests).isZero();
        assertThat(requestsPerText).hasSize(during);
        assertThat(pendingInHistory)
                .as("outcomes written once the database was back")
                .isZero();
    }

    /** Waits until history has every message's outcome: the count still pending at the end. */
    private static long awaitHistory(Map<String, String> sessionOf, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pending;
        do {
            pending = 0;
            for (Map.Entry<String, String> message : sessionOf.entrySet()) {
                String body = api.call("GET", message.getValue(), "/messages").body();
                for (var record : EventJson.mapper().readTree(body).path("messages")) {
                    if (record.path("messageId").asText().equals(message.getKey())
                            && record.path("status").asText().equals("pending")) {
                        pending++;
                    }
                }
            }
            if (pending > 0) {
                ChildProcess.sleep(1000);
            }
        } while (pending > 0 && System.nanoTime() < deadline);
        return pending;
    }
}
