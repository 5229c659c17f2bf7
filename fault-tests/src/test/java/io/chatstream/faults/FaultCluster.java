package io.chatstream.faults;

import io.chatstream.localkafka.KRaftBroker;
import io.chatstream.simulator.SimulatorsMain;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The whole gateway on loopback, built to be broken: a real KRaft broker on fixed ports and a data
 * directory that survive a stop; every vendor's simulator and a {@link HostileVendor}; the three
 * packaged services as processes that can be killed and started again (two session-service
 * replicas). One cluster serves the whole suite (started by the first test class, stopped when the
 * JVM ends); the destructive faults run last.
 */
final class FaultCluster implements AutoCloseable {

    static final String API_KEY = "fault-key";
    static final String FUZZ_API_KEY = "fuzz-key";
    static final String STREAM_TOKEN_SECRET = "fault-stream-token-secret-0123456789";
    static final String SIMULATOR_KEY = "sim-key";

    private static FaultCluster shared;

    private final Path dataDir;
    private final int brokerPort;
    private final int controllerPort;
    private volatile KRaftBroker broker;
    final Vertx vertx;
    final HostileVendor hostile;
    final Service ingress;
    final Service connector;
    final List<Service> sessions;
    final EventLog events;

    /** The cluster of the suite, started on first use. */
    static synchronized FaultCluster shared() throws Exception {
        if (shared == null) {
            shared = new FaultCluster();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "fault-cluster-stop"));
        }
        return shared;
    }

    static Path root() {
        return Path.of(System.getProperty("gateway.root", ".."))
                .toAbsolutePath()
                .normalize();
    }

    private FaultCluster() throws Exception {
        dataDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "faults-kafka-");
        brokerPort = freePort();
        controllerPort = freePort();
        broker = KRaftBroker.start(dataDir, brokerPort, controllerPort);
        vertx = Vertx.vertx();
        Map<String, Integer> vendorPorts = new HashMap<>();
        for (var simulator : SimulatorsMain.SIMULATORS.entrySet()) {
            vendorPorts.put(
                    simulator.getKey(),
                    simulator
                            .getValue()
                            .start(vertx, SIMULATOR_KEY, Map.of("pace", "5ms"))
                            .apply(0)
                            .toCompletionStage()
                            .toCompletableFuture()
                            .get());
        }
        hostile = new HostileVendor(vertx);
        int hostilePort = hostile.listen();

        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers());
        env.put("GATEWAY_API_KEYS", API_KEY + "," + FUZZ_API_KEY);
        env.put("GATEWAY_STREAM_TOKEN_SECRET", STREAM_TOKEN_SECRET);
        int sessionPort = freePort();
        env.put("GATEWAY_STREAM_PUBLIC_URL", "ws://127.0.0.1:" + sessionPort);
        env.put(
                "QUARKUS_CONFIG_LOCATIONS",
                root().resolve("deploy/local-bots.properties").toString());
        vendorPorts.forEach((vendor, port) -> env.put(
                "GATEWAY_BOTS_" + vendor.toUpperCase(Locale.ROOT) + "_URL",
                vendor.equals("aui") ? "ws://127.0.0.1:" + port + "/api/ia-controller" : "http://127.0.0.1:" + port));
        // Vendors that stall or drip are given up on in seconds, not the production minute.
        for (String vendor : vendorPorts.keySet()) {
            String prefix = "GATEWAY_BOTS_" + vendor.toUpperCase(Locale.ROOT) + "_";
            env.put(prefix + "FIRST_TOKEN_TIMEOUT", "5s");
            env.put(prefix + "IDLE_TIMEOUT", "2s");
        }
        env.put("GATEWAY_BOTS_HOSTILE_PROVIDER", "openai");
        env.put("GATEWAY_BOTS_HOSTILE_URL", "http://127.0.0.1:" + hostilePort);
        env.put("GATEWAY_BOTS_HOSTILE_API_KEY", SIMULATOR_KEY);
        env.put("GATEWAY_BOTS_HOSTILE_FIRST_TOKEN_TIMEOUT", "3s");
        env.put("GATEWAY_BOTS_HOSTILE_IDLE_TIMEOUT", "3s");
        env.put("GATEWAY_BOTS_HOSTILE_MAX_RETRIES", "0");
        // Answers that take a few seconds, so that faults land in the middle of them.
        env.put("GATEWAY_BOTS_LONG_PROVIDER", "demo");
        env.put("GATEWAY_BOTS_LONG_TOKENS", "120");
        env.put("GATEWAY_BOTS_LONG_PACE", "25ms");
        env.put("GATEWAY_BOTS_QUICK_PROVIDER", "demo");
        env.put("GATEWAY_BOTS_QUICK_TOKENS", "8");
        env.put("GATEWAY_BOTS_QUICK_PACE", "2ms");
        // The suite sends bursts on purpose; the fuzzer has its own key and meets the limit.
        env.put("GATEWAY_RATE_LIMIT_PER_SECOND", "500");
        env.put("GATEWAY_RATE_LIMIT_BURST", "1000");
        env.put("GATEWAY_STREAM_MAX_CONNECTIONS", "200");

        sessions = new ArrayList<>();
        sessions.add(new Service("session-service", "session-1", sessionPort, env));
        sessions.add(new Service("session-service", "session-2", freePort(), env));
        connector = new Service("provider-connector-service", "connector", freePort(), env);
        ingress = new Service("ingress-service", "ingress", freePort(), env);
        List<Service> all = all();
        all.forEach(Service::start);
        try {
            for (Service service : all) {
                service.awaitReady(Duration.ofSeconds(120));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        events = new EventLog(bootstrapServers());
    }

    String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    List<Service> all() {
        List<Service> all = new ArrayList<>(sessions);
        all.add(connector);
        all.add(ingress);
        return all;
    }

    /** Stops the broker (a clean shutdown: its data stays in its directory). */
    void stopBroker() {
        broker.close();
    }

    /** Starts the broker again on the same ports and data. */
    void startBroker() {
        broker = KRaftBroker.start(dataDir, brokerPort, controllerPort);
    }

    @Override
    public synchronized void close() {
        if (events != null) {
            events.close();
        }
        for (Service service : all()) {
            service.close();
        }
        hostile.close();
        vertx.close();
        broker.close();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
