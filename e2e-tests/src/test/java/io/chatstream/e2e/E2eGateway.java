package io.chatstream.e2e;

import io.chatstream.testkit.GatewayCluster;
import io.chatstream.testkit.SimulatorsProcess;
import java.util.Map;

/**
 * The gateway as the end-to-end tests run it (gateway-testkit's {@link GatewayCluster}): every
 * vendor's simulator and bot, a bot defined by the environment alone, a slow bot to stop half-way;
 * configured only through environment variables, as a container would be.
 */
final class E2eGateway {

    static final String API_KEY = "e2e-key";
    static final String OTHER_API_KEY = "e2e-other-key";
    static final String STREAM_TOKEN_SECRET = "e2e-stream-token-secret-0123456789";

    private E2eGateway() {}

    static GatewayCluster start() {
        return start(1, Map.of());
    }

    /**
     * @param sessionReplicas session-service processes side by side, each on its own port
     * @param extraEnv more environment for every service (bots, session-service limits …)
     */
    static GatewayCluster start(int sessionReplicas, Map<String, String> extraEnv) {
        return start(sessionReplicas, 1, extraEnv);
    }

    /** @param ingressReplicas ingress processes side by side, each on its own port, one database */
    static GatewayCluster start(int sessionReplicas, int ingressReplicas, Map<String, String> extraEnv) {
        return GatewayCluster.builder()
                .logDir(GatewayCluster.root().resolve("e2e-tests/target/e2e-logs"))
                .apiKeys(API_KEY, OTHER_API_KEY)
                .streamTokenSecret(STREAM_TOKEN_SECRET)
                .replicas(GatewayCluster.Role.SESSION, sessionReplicas)
                .replicas(GatewayCluster.Role.INGRESS, ingressReplicas)
                .simulatorSwitches(Map.of("pace", "5ms"))
                // A bot defined by the environment alone (docs/api.md): every service must accept it.
                .envFromSimulators(ports -> Map.of(
                        "GATEWAY_BOTS_SUPPORT_PROVIDER",
                        "openai",
                        "GATEWAY_BOTS_SUPPORT_URL",
                        "http://127.0.0.1:" + ports.get("openai") + "/v1",
                        "GATEWAY_BOTS_SUPPORT_API_KEY",
                        SimulatorsProcess.API_KEY))
                // A slow bot, for stopping an answer half-way.
                .env(Map.of(
                        "GATEWAY_BOTS_SLOW_PROVIDER", "demo",
                        "GATEWAY_BOTS_SLOW_TOKENS", "400",
                        "GATEWAY_BOTS_SLOW_PACE", "20ms"))
                .env(extraEnv)
                .start();
    }

    /** Polls {@code condition} every 20 ms; fails naming {@code what} after 60 s. */
    static void waitUntil(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waiting for " + what + " for 60 s");
            }
            Thread.sleep(20);
        }
    }
}
