package io.chatstream.simulator;

import io.chatstream.simulator.lingoblocks.LingoBlocksSimulator;
import io.chatstream.simulator.openai.OpenAiSimulator;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts the vendor simulators as one process for the local run:
 * {@code java -cp … SimulatorsMain openai=9101 …}. Default switches may follow as
 * {@code --pace=30ms}. Prints {@code SIMULATORS READY} once every one listens.
 */
public final class SimulatorsMain {

    private SimulatorsMain() {}

    public static void main(String[] args) throws Exception {
        Vertx vertx = Vertx.vertx();
        Map<String, String> defaults = new HashMap<>();
        Map<String, Integer> ports = new HashMap<>();
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            if (arg.startsWith("--")) {
                defaults.put(kv[0], kv.length > 1 ? kv[1] : "true");
            } else {
                ports.put(kv[0], Integer.parseInt(kv[1]));
            }
        }
        String apiKey = System.getenv().getOrDefault("SIMULATOR_API_KEY", "sim-key");
        for (Map.Entry<String, Integer> e : ports.entrySet()) {
            int port =
                    switch (e.getKey()) {
                        case "openai" -> new OpenAiSimulator(vertx, apiKey, defaults)
                                .listen(e.getValue())
                                .toCompletionStage()
                                .toCompletableFuture()
                                .get();
                        case "lingoblocks" -> new LingoBlocksSimulator(
                                        vertx, LingoBlocksSimulator.DEFAULT_CHATBOT_ID, defaults)
                                .listen(e.getValue())
                                .toCompletionStage()
                                .toCompletableFuture()
                                .get();
                        default -> throw new IllegalArgumentException("unknown simulator " + e.getKey());
                    };
            System.out.println("simulator " + e.getKey() + " on http://127.0.0.1:" + port);
        }
        System.out.println("SIMULATORS READY");
        Runtime.getRuntime().addShutdownHook(new Thread(vertx::close));
    }
}
