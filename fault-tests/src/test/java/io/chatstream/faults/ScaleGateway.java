package io.chatstream.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.testkit.ChildProcess;
import io.chatstream.testkit.CommitWatch;
import io.chatstream.testkit.GatewayCluster;
import io.chatstream.testkit.IngressClient;
import io.chatstream.testkit.ServiceProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Three connector processes of one provider, as a Deployment scaled to three (static members
 * {@code connector-1..3}), one ingress, one session-service, on a broker of their own: the cluster
 * of the scaling faults ({@link ConnectorScaleIT}, {@link ConnectorCrashIT}, {@link TenantFloodIT}),
 * started by the first of them and stopped when the JVM ends, as {@link FaultGateway} is (the
 * shared one has a single connector, which the kill faults need). Its steady load: six clients
 * posting answers of about 3 s on new sessions all along.
 */
final class ScaleGateway {

    static final String PROVIDER = "demo";
    static final String API_KEY = "scale-key";
    /** A second tenant, for the flood: its own API key. */
    static final String QUIET_KEY = "quiet-key";
    /**
     * The flood's bot: answers of about 30 s, at most {@link #FLOOD_CAPACITY} streams per
     * instance, of which one API key holds at most {@link #FLOOD_PER_TENANT}. Long and few, so
     * that a flood fills its key's share whatever the speed of its POSTs on a busy machine.
     */
    static final String FLOOD_BOT = "story";

    static final int FLOOD_CAPACITY = 16;
    static final int FLOOD_PER_TENANT = 8;

    private static ScaleGateway shared;

    final GatewayCluster cluster;
    final EventLog events;
    /** The requests' places, for a {@link CommitWatch} of the connectors' commits. */
    final RequestOffsets requests;

    final IngressClient api;

    static synchronized ScaleGateway shared() {
        if (shared == null) {
            shared = new ScaleGateway();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "scale-cluster-stop"));
        }
        return shared;
    }

    private ScaleGateway() {
        cluster = GatewayCluster.builder()
                .logDir(FaultGateway.root().resolve("fault-tests/target/fault-logs/scale"))
                .apiKeys(API_KEY, QUIET_KEY)
                .streamTokenSecret(FaultGateway.STREAM_TOKEN_SECRET)
                .vendors("openai")
                .replicas(GatewayCluster.Role.CONNECTOR, 3)
                .replicaEnv(GatewayCluster.Role.CONNECTOR, 0, Map.of("GATEWAY_CONNECTOR_INSTANCE_ID", "connector-1"))
                .replicaEnv(GatewayCluster.Role.CONNECTOR, 1, Map.of("GATEWAY_CONNECTOR_INSTANCE_ID", "connector-2"))
                .replicaEnv(GatewayCluster.Role.CONNECTOR, 2, Map.of("GATEWAY_CONNECTOR_INSTANCE_ID", "connector-3"))
                // Answers of about 3 s, so that every fault lands in the middle of many.
                .env("GATEWAY_BOTS_LONG_PROVIDER", PROVIDER)
                .env("GATEWAY_BOTS_LONG_TOKENS", "120")
                .env("GATEWAY_BOTS_LONG_PACE", "25ms")
                .env("GATEWAY_BOTS_STORY_PROVIDER", PROVIDER)
                .env("GATEWAY_BOTS_STORY_TOKENS", "1200")
                .env("GATEWAY_BOTS_STORY_PACE", "25ms")
                // A vendor account's capacity per instance, and one key's share of it.
                .env("GATEWAY_BOTS_STORY_MAX_CONCURRENCY", String.valueOf(FLOOD_CAPACITY))
                .env("GATEWAY_BOTS_STORY_MAX_CONCURRENCY_PER_TENANT", String.valueOf(FLOOD_PER_TENANT))
                .env("GATEWAY_CONNECTOR_PROVIDERS", PROVIDER)
                .env("GATEWAY_RATE_LIMIT_PER_SECOND", "500")
                .env("GATEWAY_RATE_LIMIT_BURST", "1000")
                .start();
        events = new EventLog(cluster.bootstrapServers());
        requests = new RequestOffsets(cluster.bootstrapServers(), PROVIDER, events);
        api = cluster.ingressClient();
    }

    List<ServiceProcess> connectors() {
        return cluster.replicas(GatewayCluster.Role.CONNECTOR);
    }

    /** An ingress client with another API key than the load's. */
    IngressClient quietTenant() {
        return new IngressClient(cluster.ingress().baseUrl(), QUIET_KEY);
    }

    /**
     * Posts long answers on new sessions for at least {@code duration} and until {@code step},
     * run meanwhile, has returned; returns what was accepted, with the time of each 202.
     */
    Map<String, Instant> underLoad(Duration duration, Runnable step) throws Exception {
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
        FutureTask<Void> stepTask = new FutureTask<>(step, null);
        new Thread(stepTask, "scaling-step").start();
        ChildProcess.sleep(duration.toMillis());
        try {
            stepTask.get(180, TimeUnit.SECONDS); // a step that failed fails the test with its cause
        } finally {
            posting.set(false);
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
        return accepted;
    }

    /** Waits for every message's end; then the verdict, its row in the figures, and that it is clean. */
    Verdict assertEveryMessageEndedOnce(String fault, Map<String, Instant> accepted, String notes) {
        boolean ended = events.awaitEnded(accepted.keySet(), Duration.ofSeconds(120));
        Verdict verdict = Verdict.of(events, accepted);
        Figures.row(fault, verdict, verdict.resets() + " message.reset" + (notes.isEmpty() ? "" : "; " + notes));
        assertThat(accepted).hasSizeGreaterThan(20);
        assertThat(ended).as("every message ended").isTrue();
        assertThat(verdict.problems()).isEmpty();
        assertThat(verdict.clean()).isTrue();
        return verdict;
    }

    /** Starts watching the connector group's commits (stop it with close). */
    CommitWatch watchCommits() {
        return new CommitWatch(cluster.bootstrapServers(), PROVIDER, requests);
    }

    private synchronized void close() {
        requests.close();
        events.close();
        cluster.close();
    }
}
