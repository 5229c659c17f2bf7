package io.chatstream.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.testkit.ChildProcess;
import io.chatstream.testkit.IngressClient;
import io.chatstream.testkit.ServiceProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The broker is stopped while answers stream, and started again: while it is down the ingress
 * answers 503 within 5 s and acknowledges nothing; what it acknowledged before ends exactly once
 * after; a request refused with 503 and retried with its {@code Idempotency-Key} becomes exactly one
 * message.
 */
@Order(70)
class BrokerRestartIT {

    private static FaultGateway cluster;
    private static IngressClient api;

    @BeforeAll
    static void start() throws Exception {
        cluster = FaultGateway.shared();
        api = cluster.api();
    }

    @Test
    void brokerStoppedAndRestarted() throws Exception {
        int before = Scale.of(12, 60);
        int during = Scale.of(8, 40);
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, Instant> accepted = new LinkedHashMap<>();
        for (int i = 0; i < before; i++) {
            IngressClient.Answer answer = api.post("broker-" + run + "-" + i, "long", "before the outage " + i);
            assertThat(answer.status()).isEqualTo(202);
            accepted.put(answer.messageId(), answer.at());
        }
        ConnectorKillIT.await(
                () -> accepted.keySet().stream()
                                .filter(id -> cluster.events.of(id).size() > 3)
                                .count()
                        >= before / 2,
                "half the answers streaming");

        cluster.stopBroker();
        Instant stopped = Instant.now();
        // While it is down: every request gets 503 quickly (concurrently, each with its key).
        OutagePosts posts = new OutagePosts(api, "broker-down-" + run + "-", "during the outage " + run, during);
        OutagePosts.Refusals refusals = posts.whileDown();
        // One without a key, which the client will not retry: history must not keep it.
        String unkeyed = "broker-unkeyed-" + run;
        int unkeyedStatus =
                api.post(unkeyed, "quick", "refused and not retried").status();
        ChildProcess.sleep(Scale.of(3_000, 20_000));
        cluster.startBroker();
        Duration down = Duration.between(stopped, Instant.now());
        for (ServiceProcess service : cluster.all()) {
            service.awaitReady(Duration.ofSeconds(120));
        }
        Duration recovered = Duration.between(stopped, Instant.now());
        accepted.putAll(posts.retryUntilAccepted());

        boolean ended = cluster.events.awaitEnded(accepted.keySet(), Duration.ofSeconds(150));
        Verdict verdict = Verdict.of(cluster.events, accepted);
        String unkeyedHistory = api.call("GET", unkeyed, "/messages").body();
        Map<String, java.util.Set<String>> requestsPerText =
                RequestLog.messageIdsByText(cluster.bootstrapServers(), "demo", "during the outage " + run);
        long duplicateRequests =
                requestsPerText.values().stream().filter(ids -> ids.size() > 1).count();
        Figures.row(
                "broker stopped " + Figures.seconds(down) + " and restarted",
                verdict,
                "while down: " + during + " POSTs → " + refusals.statuses() + ", slowest "
                        + Figures.seconds(refusals.slowest())
                        + "; each retried with its Idempotency-Key after: " + requestsPerText.size()
                        + " texts on Kafka, " + duplicateRequests + " with two messageIds; all services ready "
                        + Figures.seconds(recovered) + " after the stop");
        assertThat(refusals.statuses()).containsOnlyKeys(503);
        assertThat(unkeyedStatus).isEqualTo(503);
        assertThat(unkeyedHistory).as("a refused message is not in history").contains("\"messages\":[]");
        assertThat(refusals.slowest()).isLessThan(Duration.ofMillis(5500));
        assertThat(ended).as("every acknowledged message ended").isTrue();
        assertThat(verdict.problems()).isEmpty();
        assertThat(verdict.clean()).isTrue();
        assertThat(duplicateRequests).isZero();
        assertThat(requestsPerText).hasSize(during);
    }
}
