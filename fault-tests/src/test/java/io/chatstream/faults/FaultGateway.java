package io.chatstream.faults;

import io.chatstream.testkit.GatewayCluster;
import io.chatstream.testkit.IngressClient;
import io.chatstream.testkit.ServiceProcess;
import io.chatstream.testkit.SimulatorsProcess;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The whole gateway on loopback, built to be broken (gateway-testkit's {@link GatewayCluster}): a
 * real KRaft broker whose ports and data directory survive a stop; every vendor's simulator and a
 * {@link HostileVendor}; the three packaged services as processes that can be killed and started
 * again (two session-service replicas). One cluster serves the whole suite (started by the first
 * test class, stopped when the JVM ends); the destructive faults run last.
 */
final class FaultGateway {

    static final String API_KEY = "fault-key";
    static final String FUZZ_API_KEY = "fuzz-key";
    static final String STREAM_TOKEN_SECRET = "fault-stream-token-secret-0123456789";

    private static FaultGateway shared;

    final GatewayCluster cluster;
    final Vertx vertx;
    final HostileVendor hostile;
    final ServiceProcess ingress;
    final ServiceProcess connector;
    final List<ServiceProcess> sessions;
    final EventLog events;

    /** The cluster of the suite, started on first use. */
    static synchronized FaultGateway shared() throws Exception {
        if (shared == null) {
            shared = new FaultGateway();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "fault-cluster-stop"));
        }
        return shared;
    }

    static Path root() {
        return GatewayCluster.root();
    }

    private FaultGateway() throws Exception {
        vertx = Vertx.vertx();
        hostile = new HostileVendor(vertx);
        int hostilePort = hostile.listen();
        Map<String, String> env = new HashMap<>();
        env.put("GATEWAY_BOTS_HOSTILE_PROVIDER", "openai");
        env.put("GATEWAY_BOTS_HOSTILE_URL", "http://127.0.0.1:" + hostilePort);
        env.put("GATEWAY_BOTS_HOSTILE_API_KEY", SimulatorsProcess.API_KEY);
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
        try {
            cluster = GatewayCluster.builder()
                    .logDir(root().resolve("fault-tests/target/fault-logs"))
                    .apiKeys(API_KEY, FUZZ_API_KEY)
                    .streamTokenSecret(STREAM_TOKEN_SECRET)
                    .replicas(GatewayCluster.Role.SESSION, 2)
                    .simulatorSwitches(Map.of("pace", "5ms"))
                    // Vendors that stall or drip are given up on in seconds, not the production minute.
                    .envFromSimulators(FaultGateway::shortTimeouts)
                    .env(env)
                    .start();
        } catch (RuntimeException e) {
            hostile.close();
            vertx.close();
            throw e;
        }
        ingress = cluster.ingress();
        connector = cluster.connector();
        sessions = cluster.sessions();
        events = new EventLog(cluster.bootstrapServers());
    }

    private static Map<String, String> shortTimeouts(Map<String, Integer> simulatorPorts) {
        Map<String, String> env = new HashMap<>();
        for (String vendor : simulatorPorts.keySet()) {
            String prefix = "GATEWAY_BOTS_" + vendor.toUpperCase(Locale.ROOT) + "_";
            env.put(prefix + "FIRST_TOKEN_TIMEOUT", "5s");
            env.put(prefix + "IDLE_TIMEOUT", "2s");
        }
        return env;
    }

    /** An ingress client with the suite's API key. */
    IngressClient api() {
        return cluster.ingressClient();
    }

    /** A stream token for the session, as the ingress signs them. */
    String token(String session) {
        return cluster.streamToken(session);
    }

    String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    List<ServiceProcess> all() {
        return cluster.services();
    }

    /** Stops the broker (SIGTERM, a clean shutdown: its data stays in its directory). */
    void stopBroker() {
        cluster.broker().stop();
    }

    /** Starts the broker again on the same ports and data. */
    void startBroker() {
        cluster.broker().start();
        cluster.broker().awaitReady();
    }

    /** Stops the database (SIGTERM: a fast shutdown; its data stays in its directory). */
    void stopDatabase() {
        cluster.postgres().stop();
    }

    /** Starts the database again on the same port and data. */
    void startDatabase() {
        cluster.postgres().start();
        cluster.postgres().awaitReady();
    }

    synchronized void close() {
        events.close();
        cluster.close();
        hostile.close();
        vertx.close();
    }
}
