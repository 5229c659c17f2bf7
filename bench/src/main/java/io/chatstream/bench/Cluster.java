package io.chatstream.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the benchmark measures, each as its own process on loopback and on free ports: the
 * Kafka broker (local-kafka), the OpenAI-compatible simulator (providers/openai, run from the connector's classpath), the three
 * packaged services ({@code java -jar quarkus-run.jar}, configured by environment only), and the
 * Portkey gateway (node) when asked for.
 */
final class Cluster implements AutoCloseable {

    static final String API_KEY = "bench-key";
    static final String STREAM_TOKEN_SECRET = "bench-stream-token-secret-0123456789";
    static final String SIMULATOR_KEY = "sim-key";
    static final String BOT = "bench";

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Path root;
    private final Path runDir;
    private final String java =
            Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private final List<Service> started = new ArrayList<>();
    private Service broker;
    private Service simulator;
    private Service ingress;
    private Service session;
    private Service connector;
    private Service portkey;
    private int simulatorPort;
    private int ingressPort;
    private int sessionPort;
    private int portkeyPort;
    private int connectorPort;

    private final boolean jfr;

    Cluster(Path root, Path runDir, boolean jfr) {
        this.root = root;
        this.runDir = runDir;
        this.jfr = jfr;
    }

    /** The broker and the simulator; then {@link #startGateway}. */
    void startVendor() {
        int kafkaPort = freePort();
        int controllerPort = freePort();
        simulatorPort = freePort();
        broker = start(
                "kafka",
                List.of(
                        java,
                        "-Xmx512m",
                        "-cp",
                        jar("local-kafka") + ":" + root.resolve("local-kafka/target/lib/*"),
                        "io.chatstream.localkafka.LocalKafkaMain",
                        runDir.resolve("kafka-data").toString(),
                        String.valueOf(kafkaPort),
                        String.valueOf(controllerPort)),
                Map.of());
        simulator = start(
                "simulator",
                List.of(
                        java,
                        "-Xmx512m",
                        "-cp",
                        root.resolve("provider-connector-service/target/quarkus-app/lib/main/*")
                                .toString(),
                        "io.chatstream.simulator.SimulatorsMain",
                        "openai=" + simulatorPort),
                Map.of("SIMULATOR_API_KEY", SIMULATOR_KEY));
        awaitLog(broker, "KAFKA READY", Duration.ofSeconds(90));
        awaitLog(simulator, "SIMULATORS READY", Duration.ofSeconds(60));
        this.kafkaPort = kafkaPort;
    }

    private int kafkaPort;

    String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    /**
     * The three services. {@code jvmOptions} go to each service's JVM; {@code extraEnv} overrides
     * or adds configuration (tuning experiments: {@code env.KEY=VALUE} on the command line).
     */
    void startGateway(List<String> jvmOptions, Map<String, String> extraEnv) {
        ingressPort = freePort();
        sessionPort = freePort();
        connectorPort = freePort();
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers());
        env.put("GATEWAY_API_KEYS", API_KEY);
        env.put("GATEWAY_STREAM_TOKEN_SECRET", STREAM_TOKEN_SECRET);
        env.put("GATEWAY_STREAM_PUBLIC_URL", "ws://127.0.0.1:" + sessionPort);
        // The ingress's per-key rate limit (20/s by default) would measure itself, not the path.
        env.put("GATEWAY_RATE_LIMIT_PER_SECOND", "1000000");
        env.put("GATEWAY_RATE_LIMIT_BURST", "1000000");
        env.put("GATEWAY_CONNECTOR_MAX_IN_FLIGHT", "20000");
        // One connector deployment per provider, as in a cluster (k8s/): no idle request loops of
        // the other providers in the figures.
        env.put("GATEWAY_CONNECTOR_PROVIDERS", "openai");
        env.put("GATEWAY_BOTS_BENCH_PROVIDER", "openai");
        env.put("GATEWAY_BOTS_BENCH_URL", "http://127.0.0.1:" + simulatorPort);
        env.put("GATEWAY_BOTS_BENCH_API_KEY", SIMULATOR_KEY);
        env.put("GATEWAY_BOTS_BENCH_MODEL", "sim-model");
        env.put("GATEWAY_BOTS_BENCH_MAX_CONCURRENCY", "20000");
        // The direct baseline sends one message per request: so does the gateway here (a stateless
        // vendor otherwise gets the earlier turns of the session with every question).
        env.put("GATEWAY_BOTS_BENCH_HISTORY_TURNS", "0");
        env.putAll(extraEnv);
        session = startService("session-service", "session", sessionPort, jvmOptions, env);
        connector = startService("provider-connector-service", "connector", connectorPort, jvmOptions, env);
        ingress = startService("ingress-service", "ingress", ingressPort, jvmOptions, env);
        for (Service s : List.of(session, connector, ingress)) {
            int port = s == session ? sessionPort : s == connector ? connectorPort : ingressPort;
            awaitReady(s, port, Duration.ofSeconds(120));
        }
    }

    /** The Portkey gateway from bench/target/portkey (installed by {@link PortkeyInstall}). */
    void startPortkey(Path installDir) {
        portkeyPort = freePort();
        portkey = start(
                "portkey",
                List.of(
                        "node",
                        installDir
                                .resolve("node_modules/@portkey-ai/gateway/build/start-server.js")
                                .toString(),
                        "--port=" + portkeyPort,
                        "--headless"),
                Map.of());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!portkey.process().isAlive()) {
                throw new IllegalStateException(
                        "portkey exited with " + portkey.process().exitValue() + "; " + tail(portkey));
            }
            try (Socket s = new Socket("127.0.0.1", portkeyPort)) {
                return;
            } catch (IOException e) {
                sleep(200);
            }
        }
        throw new IllegalStateException("portkey did not listen within 60 s; " + tail(portkey));
    }

    /** Saves each service's /q/metrics into the run folder (metrics/<service>.txt). */
    void saveMetrics() {
        Map<String, Integer> ports = Map.of("ingress", ingressPort, "connector", connectorPort, "session", sessionPort);
        ports.forEach((name, port) -> {
            try {
                HttpResponse<String> r = HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                Path dir = Files.createDirectories(runDir.resolve("metrics"));
                Files.writeString(dir.resolve(name + ".txt"), r.body());
            } catch (IOException e) {
                // a dead service has no metrics: the report says it died
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** A process of the run that exited, with the end of its log; null when all live. */
    String deadProcess() {
        for (Service s : started) {
            if (s.process() != null && !s.process().isAlive()) {
                return s.name() + " exited with " + s.process().exitValue() + "; " + tail(s).replace('\n', ' ');
            }
        }
        return null;
    }

    /** Lines of a service's log that say it ran out of memory (OutOfMemoryError), if any. */
    String outOfMemory() {
        for (Service s : started) {
            try {
                if (Files.exists(logOf(s)) && Files.readString(logOf(s)).contains("OutOfMemoryError")) {
                    return s.name() + " ran out of heap (OutOfMemoryError in " + logOf(s) + ")";
                }
            } catch (IOException e) {
                // unreadable: not evidence
            }
        }
        return null;
    }

    int simulatorPort() {
        return simulatorPort;
    }

    int ingressPort() {
        return ingressPort;
    }

    int connectorPort() {
        return connectorPort;
    }

    int sessionPort() {
        return sessionPort;
    }

    int portkeyPort() {
        return portkeyPort;
    }

    Service simulator() {
        return simulator;
    }

    Service session() {
        return session;
    }

    Service portkey() {
        return portkey;
    }

    List<Service> gatewayProcesses() {
        return List.of(broker, ingress, connector, session, simulator, Service.self());
    }

    Path logOf(Service s) {
        return runDir.resolve("logs").resolve(s.name() + ".log");
    }

    private Service startService(
            String module, String name, int port, List<String> jvmOptions, Map<String, String> env) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        if (jfr) {
            command.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + runDir.resolve(name + ".jfr"));
        }
        command.add("-Dquarkus.http.port=" + port);
        command.add("-jar");
        command.add(root.resolve(module)
                .resolve("target/quarkus-app/quarkus-run.jar")
                .toString());
        return start(name, command, env);
    }

    private Service start(String name, List<String> command, Map<String, String> env) {
        try {
            Path logs = Files.createDirectories(runDir.resolve("logs"));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(logs.resolve(name + ".log").toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            Service service = new Service(name, process.pid(), process);
            started.add(service);
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    private String jar(String module) {
        Path jar = root.resolve(module).resolve("target/" + module + "-0.1.0-SNAPSHOT.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package first (the bench profile's command does)");
        }
        return jar.toString();
    }

    private void awaitLog(Service s, String line, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!s.process().isAlive()) {
                throw new IllegalStateException(s.name() + " exited; " + tail(s));
            }
            try {
                if (Files.readString(logOf(s)).contains(line)) {
                    return;
                }
            } catch (IOException e) {
                // not yet
            }
            sleep(200);
        }
        throw new IllegalStateException(s.name() + " not ready within " + timeout + "; " + tail(s));
    }

    private void awaitReady(Service s, int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!s.process().isAlive()) {
                throw new IllegalStateException(s.name() + " exited; " + tail(s));
            }
            try {
                HttpResponse<String> r = HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(300);
        }
        throw new IllegalStateException(s.name() + " not ready within " + timeout + "; " + tail(s));
    }

    String tail(Service s) {
        try {
            List<String> lines = Files.readAllLines(logOf(s));
            return "log " + logOf(s) + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "no log";
        }
    }

    /** Services first, the broker last, so they close their Kafka clients cleanly. */
    @Override
    public synchronized void close() {
        List<Service> reverse = new ArrayList<>(started);
        Collections.reverse(reverse);
        reverse.forEach(Service::stop);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static List<String> split(String options) {
        return options.isBlank() ? List.of() : Arrays.asList(options.trim().split("\\s+"));
    }
}
