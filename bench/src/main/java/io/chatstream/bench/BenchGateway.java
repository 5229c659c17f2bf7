package io.chatstream.bench;

import io.chatstream.testkit.ChildProcess;
import io.chatstream.testkit.GatewayCluster;
import io.chatstream.testkit.GatewayClusterBuilder;
import io.chatstream.testkit.ServiceProcess;
import io.chatstream.testkit.SimulatorsProcess;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything the benchmark measures, each its own process on loopback and on free ports
 * (gateway-testkit's {@link GatewayCluster}): the Kafka broker, the OpenAI-compatible simulator (run
 * from the connector's classpath), the three packaged services with the bench's one bot when the
 * gateway is measured, and the Portkey gateway (node) when asked for.
 */
final class BenchGateway implements AutoCloseable {

    static final String API_KEY = "bench-key";
    static final String STREAM_TOKEN_SECRET = "bench-stream-token-secret-0123456789";
    static final String BOT = "bench";

    private final Path runDir;
    private final GatewayCluster cluster;
    private ChildProcess portkey;
    private int portkeyPort;

    private BenchGateway(Path runDir, GatewayCluster cluster) {
        this.runDir = runDir;
        this.cluster = cluster;
    }

    /**
     * The broker and the simulator, and the three services if {@code services}. {@code jvmOptions}
     * go to each service's JVM; {@code extraEnv} overrides or adds configuration (tuning
     * experiments: {@code env.KEY=VALUE} on the command line); {@code jfr} records each service.
     */
    static BenchGateway start(
            Path runDir, boolean services, List<String> jvmOptions, Map<String, String> extraEnv, boolean jfr) {
        GatewayClusterBuilder builder = GatewayCluster.builder()
                .logDir(runDir.resolve("logs"))
                .apiKeys(API_KEY)
                .streamTokenSecret(STREAM_TOKEN_SECRET)
                .vendors("openai")
                .jvmOptions(jvmOptions)
                // The ingress's per-key rate limit (20/s by default) would measure itself, not the path.
                .env("GATEWAY_RATE_LIMIT_PER_SECOND", "1000000")
                .env("GATEWAY_RATE_LIMIT_BURST", "1000000")
                .env("GATEWAY_CONNECTOR_MAX_QUEUED", "20000")
                // One connector deployment per provider, as in a cluster (k8s/): no idle request loops
                // of the other providers in the figures.
                .env("GATEWAY_CONNECTOR_PROVIDERS", "openai")
                .envFromSimulators(ports -> Map.of("GATEWAY_BOTS_BENCH_URL", "http://127.0.0.1:" + ports.get("openai")))
                .env("GATEWAY_BOTS_BENCH_PROVIDER", "openai")
                .env("GATEWAY_BOTS_BENCH_API_KEY", SimulatorsProcess.API_KEY)
                .env("GATEWAY_BOTS_BENCH_MODEL", "sim-model")
                .env("GATEWAY_BOTS_BENCH_MAX_CONCURRENCY", "20000")
                // The direct baseline sends one message per request: so does the gateway here (a
                // stateless vendor otherwise gets the earlier turns of the session with every question).
                .env("GATEWAY_BOTS_BENCH_HISTORY_TURNS", "0")
                .env(extraEnv);
        if (jfr) {
            builder.flightRecordings(runDir);
        }
        if (!services) {
            for (GatewayCluster.Role role : GatewayCluster.Role.values()) {
                builder.replicas(role, 0);
            }
        }
        return new BenchGateway(runDir, builder.start());
    }

    /** The Portkey gateway from bench/target/portkey (installed by {@link PortkeyInstall}). */
    void startPortkey(Path installDir) {
        portkeyPort = GatewayCluster.freePort();
        portkey = new ChildProcess(
                        "portkey",
                        List.of(
                                "node",
                                installDir
                                        .resolve("node_modules/@portkey-ai/gateway/build/start-server.js")
                                        .toString(),
                                "--port=" + portkeyPort,
                                "--headless"),
                        Map.of(),
                        runDir.resolve("logs/portkey.log"),
                        Duration.ofSeconds(15))
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!portkey.alive()) {
                throw new IllegalStateException("portkey exited with " + portkey.exitValue() + "; " + portkey.tail(20));
            }
            try (Socket s = new Socket("127.0.0.1", portkeyPort)) {
                return;
            } catch (IOException e) {
                ChildProcess.sleep(200);
            }
        }
        throw new IllegalStateException("portkey did not listen within 60 s; " + portkey.tail(20));
    }

    /** Saves each service's /q/metrics into the run folder (metrics/<service>.txt). */
    void saveMetrics() throws IOException {
        Path dir = Files.createDirectories(runDir.resolve("metrics"));
        for (ServiceProcess service : cluster.services()) {
            String metrics = service.metrics();
            // a dead service has no metrics: the report says it died
            if (!metrics.isEmpty()) {
                Files.writeString(dir.resolve(service.name() + ".txt"), metrics);
            }
        }
    }

    /** A process of the run that exited, with the end of its log; null when all live. */
    String deadProcess() {
        for (ChildProcess p : processes()) {
            if (!p.alive()) {
                return p.name() + " exited with " + p.exitValue() + "; "
                        + p.tail(20).replace('\n', ' ');
            }
        }
        return null;
    }

    /** Lines of a process's log that say it ran out of memory (OutOfMemoryError), if any. */
    String outOfMemory() {
        for (ChildProcess p : processes()) {
            try {
                if (Files.exists(p.log()) && Files.readString(p.log()).contains("OutOfMemoryError")) {
                    return p.name() + " ran out of heap (OutOfMemoryError in " + p.log() + ")";
                }
            } catch (IOException e) {
                // unreadable: not evidence
            }
        }
        return null;
    }

    private List<ChildProcess> processes() {
        List<ChildProcess> all = new ArrayList<>(cluster.processes());
        if (portkey != null) {
            all.add(portkey);
        }
        return all;
    }

    String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** A stream token for a session of the run (valid 2 hours: the whole run). */
    String streamToken(String sessionId) {
        return cluster.streamToken(sessionId, Duration.ofHours(2));
    }

    int simulatorPort() {
        return cluster.simulators().port("openai");
    }

    int ingressPort() {
        return cluster.ingress().port();
    }

    int connectorPort() {
        return cluster.connector().port();
    }

    int sessionPort() {
        return cluster.session().port();
    }

    int portkeyPort() {
        return portkeyPort;
    }

    ServiceProcess session() {
        return cluster.session();
    }

    MeasuredProcess simulator() {
        return MeasuredProcess.of(cluster.simulators());
    }

    MeasuredProcess portkey() {
        return MeasuredProcess.of(portkey);
    }

    List<MeasuredProcess> gatewayProcesses() {
        return List.of(
                MeasuredProcess.of(cluster.broker()),
                MeasuredProcess.of(cluster.ingress()),
                MeasuredProcess.of(cluster.connector()),
                MeasuredProcess.of(cluster.session()),
                simulator(),
                MeasuredProcess.self());
    }

    /** Portkey, then the cluster: services first, the broker last. */
    @Override
    public void close() {
        if (portkey != null) {
            portkey.stop();
        }
        cluster.close();
    }
}
