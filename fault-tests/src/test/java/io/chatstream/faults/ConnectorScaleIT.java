package io.chatstream.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.testkit.ChildProcess;
import io.chatstream.testkit.GatewayCluster;
import io.chatstream.testkit.IngressClient;
import io.chatstream.testkit.ServiceProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Three connector processes of one provider, as a Deployment scaled to three, under a steady load
 * of long answers: one is stopped (SIGTERM) mid-stream, and a fourth is started mid-stream and then
 * stopped. Scale-in and scale-out are invisible to clients: every message completes, none is reset
 * or failed, none ends twice. Its own cluster (the shared one has one connector, which the kill
 * faults need), on its own broker.
 */
@Order(55)
class ConnectorScaleIT {

    private static final String API_KEY = "scale-key";

    private static GatewayCluster cluster;
    private static EventLog events;
    private static IngressClient api;

    @BeforeAll
    static void start() {
        cluster = GatewayCluster.builder()
                .logDir(FaultGateway.root().resolve("fault-tests/target/fault-logs/scale"))
                .apiKeys(API_KEY)
                .streamTokenSecret(FaultGateway.STREAM_TOKEN_SECRET)
                .vendors("openai")
                .replicas(GatewayCluster.Role.CONNECTOR, 3)
                .replicaEnv(GatewayCluster.Role.CONNECTOR, 0, Map.of("GATEWAY_CONNECTOR_INSTANCE_ID", "connector-1"))
                .replicaEnv(GatewayCluster.Role.CONNECTOR, 1, Map.of("GATEWAY_CONNECTOR_INSTANCE_ID", "connector-2"))
                .replicaEnv(GatewayCluster.Role.CONNECTOR, 2, Map.of("GATEWAY_CONNECTOR_INSTANCE_ID", "connector-3"))
                // Answers of about 3 s, so that every scaling step lands in the middle of many.
                .env("GATEWAY_BOTS_LONG_PROVIDER", "demo")
                .env("GATEWAY_BOTS_LONG_TOKENS", "120")
                .env("GATEWAY_BOTS_LONG_PACE", "25ms")
                .env("GATEWAY_CONNECTOR_PROVIDERS", "demo")
                .env("GATEWAY_RATE_LIMIT_PER_SECOND", "500")
                .env("GATEWAY_RATE_LIMIT_BURST", "1000")
                .start();
        events = new EventLog(cluster.bootstrapServers());
        api = cluster.ingressClient();
    }

    @AfterAll
    static void stop() {
        if (events != null) {
            events.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aConnectorStoppedMidStreamLetsItsAnswersFinish() throws Exception {
        ServiceProcess stopped = cluster.replicas(GatewayCluster.Role.CONNECTOR).get(1);
        Map<String, Instant> accepted = underLoad(Duration.ofSeconds(Scale.of(12, 60)), () -> {
            ChildProcess.sleep(4_000);
            Instant at = Instant.now();
            stopped.stop();
            Figures.note(
                    "connector SIGTERM (1 of 3) under load",
                    "stopped in " + Figures.seconds(Duration.between(at, Instant.now())));
        });
        assertEveryMessageCompletedOnce("connector SIGTERM (1 of 3) under load", accepted);
        stopped.start().awaitReady(Duration.ofSeconds(120));
    }

    @Test
    void aFourthConnectorStartedAndStoppedMidStreamChangesNothingForClients() throws Exception {
        ServiceProcess fourth = cluster.replicas(GatewayCluster.Role.CONNECTOR)
                .get(0)
                .sibling("connector-4", Map.of("GATEWAY_CONNECTOR_INSTANCE_ID", "connector-4"));
        Map<String, Instant> accepted = underLoad(Duration.ofSeconds(Scale.of(20, 90)), () -> {
            ChildProcess.sleep(3_000);
            fourth.start().awaitReady(Duration.ofSeconds(120));
            ChildProcess.sleep(4_000);
            fourth.stop();
        });
        try {
            assertEveryMessageCompletedOnce("connector scale-out to 4 then in to 3 under load", accepted);
        } finally {
            fourth.close();
        }
    }

    /** Posts long answers on many sessions for {@code duration}, runs {@code step} meanwhile; returns what was accepted. */
    private static Map<String, Instant> underLoad(Duration duration, Runnable step) throws Exception {
        Map<String, Instant> accepted = new ConcurrentHashMap<>();
        AtomicBoolean posting = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        for (int worker = 0; worker < 6; worker++) {
            pool.execute(() -> {
                while (posting.get()) {
                    IngressClient.Answer answer =
                            api.post("scale-" + UUID.randomUUID(), "long", "tell me a long story");
                    if (answer.status() == 202) {
                        accepted.put(answer.messageId(), answer.at());
                    }
                    ChildProcess.sleep(150);
                }
            });
        }
        Thread stepThread = new Thread(step, "scaling-step");
        stepThread.start();
        ChildProcess.sleep(duration.toMillis());
        posting.set(false);
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        stepThread.join(180_000);
        return accepted;
    }

    private static void assertEveryMessageCompletedOnce(String fault, Map<String, Instant> accepted) {
        boolean ended = events.awaitEnded(accepted.keySet(), Duration.ofSeconds(120));
        Verdict verdict = Verdict.of(events, accepted);
        Figures.row(fault, verdict, verdict.resets() + " message.reset");
        assertThat(accepted).hasSizeGreaterThan(20);
        assertThat(ended).as("every message ended").isTrue();
        assertThat(verdict.problems()).isEmpty();
        assertThat(verdict.clean()).isTrue();
        assertThat(verdict.resets()).as("messages restarted").isZero();
        assertThat(verdict.outcomes()).as("outcomes").containsOnlyKeys("completed");
    }
}
