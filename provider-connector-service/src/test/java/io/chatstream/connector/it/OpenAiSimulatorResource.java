package io.chatstream.connector.it;

import io.chatstream.provider.openai.simulator.OpenAiSimulator;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import java.util.Map;

/** The OpenAI-compatible simulator on a free port, with bot {@code openai} pointed at it. */
public class OpenAiSimulatorResource implements QuarkusTestResourceLifecycleManager {

    static final String KEY = "sim-key";
    private static OpenAiSimulator simulator;
    private Vertx vertx;

    static OpenAiSimulator simulator() {
        return simulator;
    }

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        simulator = new OpenAiSimulator(vertx, KEY, Map.of());
        int port = simulator.listen(0).toCompletionStage().toCompletableFuture().join();
        return Map.of(
                "gateway.bots.openai.url", "http://127.0.0.1:" + port,
                "gateway.bots.openai.api-key", KEY,
                // Keys that belong to other services (one shared configuration) must not stop this one.
                "gateway.ingress.api-keys", "local-dev-key",
                "gateway.stream-token.secret", "test-secret",
                "gateway.ingress.stream.public-url", "ws://127.0.0.1:8081");
    }

    @Override
    public void stop() {
        if (vertx != null) {
            simulator.close().toCompletionStage().toCompletableFuture().join();
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
