package io.chatstream.e2e;

import io.chatstream.localkafka.KRaftBroker;
import io.chatstream.provider.openai.simulator.OpenAiSimulator;
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
import java.util.Map;

/**
 * The whole system on loopback: a real KRaft broker, the OpenAI-compatible simulator, and the three
 * packaged services as separate processes, configured only through environment variables (as a
 * container would be).
 */
final class GatewayCluster implements AutoCloseable {

    static final String API_KEY = "e2e-key";
    static final String OTHER_API_KEY = "e2e-other-key";
    static final String STREAM_TOKEN_SECRET = "e2e-stream-token-secret-0123456789";
    static final String SIMULATOR_KEY = "sim-key";

    final KRaftBroker broker;
    final Vertx vertx;
    final OpenAiSimulator openAi;
    final ServiceProcess ingress;
    final ServiceProcess session;
    /** Every session-service replica; the first is {@link #session}, the one streamUrl names. */
    final List<ServiceProcess> sessions;

    final ServiceProcess connector;

    private GatewayCluster(
            KRaftBroker broker,
            Vertx vertx,
            OpenAiSimulator openAi,
            ServiceProcess ingress,
            List<ServiceProcess> sessions,
            ServiceProcess connector) {
        this.broker = broker;
        this.vertx = vertx;
        this.openAi = openAi;
        this.ingress = ingress;
        this.session = sessions.get(0);
        this.sessions = sessions;
        this.connector = connector;
    }

    static GatewayCluster start() throws Exception {
        return start(1, Map.of());
    }

    /**
     * @param sessionReplicas session-service processes side by side, each on its own port
     * @param extraEnv more environment for every service (bots, session-service limits …)
     */
    static GatewayCluster start(int sessionReplicas, Map<String, String> extraEnv) throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "e2e-kafka-");
        KRaftBroker broker = KRaftBroker.start(dataDir, 0, 0);
        Vertx vertx = Vertx.vertx();
        OpenAiSimulator openAi = new OpenAiSimulator(vertx, SIMULATOR_KEY, Map.of("pace", "5ms"));
        int simulatorPort =
                openAi.listen(0).toCompletionStage().toCompletableFuture().get();
        // Every other vendor's simulator, for the bots of deploy/local-bots.properties.
        Map<String, Integer> vendorPorts = new HashMap<>();
        for (var simulator : SimulatorsMain.SIMULATORS.entrySet()) {
            if (!simulator.getKey().equals("openai")) {
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
        }

        int ingressPort = freePort();
        int sessionPort = freePort();
        int connectorPort = freePort();
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("GATEWAY_API_KEYS", API_KEY + "," + OTHER_API_KEY);
        env.put("GATEWAY_STREAM_TOKEN_SECRET", STREAM_TOKEN_SECRET);
        env.put("GATEWAY_STREAM_PUBLIC_URL", "ws://127.0.0.1:" + sessionPort);
        // The local run's bots, one per vendor; the environment moves them to this run's ports.
        Path root = Path.of(System.getProperty("gateway.root", ".."))
                .toAbsolutePath()
                .normalize();
        env.put(
                "QUARKUS_CONFIG_LOCATIONS",
                root.resolve("deploy/local-bots.properties").toString());
        vendorPorts.forEach((vendor, port) -> env.put(
                "GATEWAY_BOTS_" + vendor.toUpperCase(java.util.Locale.ROOT) + "_URL",
                (vendor.equals("aui") ? "ws://127.0.0.1:" + port + "/api/ia-controller" : "http://127.0.0.1:" + port)));
        env.put("GATEWAY_BOTS_OPENAI_URL", "http://127.0.0.1:" + simulatorPort);
        env.put("GATEWAY_BOTS_OPENAI_API_KEY", SIMULATOR_KEY);
        // A bot defined by the environment alone (docs/api.md): every service must accept it.
        env.put("GATEWAY_BOTS_SUPPORT_PROVIDER", "openai");
        env.put("GATEWAY_BOTS_SUPPORT_URL", "http://127.0.0.1:" + simulatorPort + "/v1");
        env.put("GATEWAY_BOTS_SUPPORT_API_KEY", SIMULATOR_KEY);

        // A slow bot, for stopping an answer half-way.
        env.put("GATEWAY_BOTS_SLOW_PROVIDER", "demo");
        env.put("GATEWAY_BOTS_SLOW_TOKENS", "400");
        env.put("GATEWAY_BOTS_SLOW_PACE", "20ms");

        env.putAll(extraEnv);

        List<ServiceProcess> sessions = new ArrayList<>();
        sessions.add(ServiceProcess.start("session-service", "session", sessionPort, env));
        for (int i = 2; i <= sessionReplicas; i++) {
            sessions.add(ServiceProcess.start("session-service", "session-" + i, freePort(), env));
        }
        ServiceProcess connector = ServiceProcess.start("provider-connector-service", "connector", connectorPort, env);
        ServiceProcess ingress = ServiceProcess.start("ingress-service", "ingress", ingressPort, env);
        GatewayCluster cluster = new GatewayCluster(broker, vertx, openAi, ingress, sessions, connector);
        List<ServiceProcess> all = new ArrayList<>(sessions);
        all.add(connector);
        all.add(ingress);
        try {
            for (ServiceProcess service : all) {
                service.awaitReady(Duration.ofSeconds(90));
            }
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    @Override
    public void close() {
        List<ServiceProcess> all = new ArrayList<>(List.of(ingress, connector));
        all.addAll(sessions);
        for (ServiceProcess service : all) {
            service.close();
        }
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
