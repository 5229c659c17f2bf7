package io.chatstream.simulator;

import io.chatstream.simulator.aui.AuiSimulator;
import io.chatstream.simulator.chatbase.ChatbaseSimulator;
import io.chatstream.simulator.chatbotkit.ChatbotkitSimulator;
import io.chatstream.simulator.lingoblocks.LingoBlocksSimulator;
import io.chatstream.simulator.openai.OpenAiSimulator;
import io.chatstream.simulator.snackprompt.SnackPromptSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntFunction;

/**
 * Starts the vendor simulators as one process for the local run:
 * {@code java -cp … SimulatorsMain openai=9101 …}. Default switches may follow as
 * {@code --pace=30ms}. Prints {@code SIMULATORS READY} once every one listens.
 */
public final class SimulatorsMain {

    /** Makes a simulator with the API key it accepts and its default switches; returns its listen. */
    @FunctionalInterface
    public interface Factory {
        IntFunction<Future<Integer>> start(Vertx vertx, String apiKey, Map<String, String> defaults);
    }

    /** Every simulator by provider name: adding a vendor adds one line here. */
    public static final Map<String, Factory> SIMULATORS = Map.of(
            "openai",
            (vertx, key, defaults) -> new OpenAiSimulator(vertx, key, defaults)::listen,
            "chatbotkit",
            (vertx, key, defaults) -> new ChatbotkitSimulator(vertx, key, defaults)::listen,
            "chatbase",
            (vertx, key, defaults) -> new ChatbaseSimulator(vertx, key, defaults)::listen,
            "aui",
            (vertx, key, defaults) -> new AuiSimulator(vertx, key, defaults)::listen,
            "snackprompt",
            (vertx, key, defaults) -> new SnackPromptSimulator(vertx, key, defaults)::listen,
            // LingoBlocks has no API key: its chatbot id is the credential.
            "lingoblocks",
            (vertx, key, defaults) ->
                    new LingoBlocksSimulator(vertx, LingoBlocksSimulator.DEFAULT_CHATBOT_ID, defaults)::listen);

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
            Factory factory = SIMULATORS.get(e.getKey());
            if (factory == null) {
                throw new IllegalArgumentException(
                        "unknown simulator " + e.getKey() + "; known: " + new TreeSet<>(SIMULATORS.keySet()));
            }
            int port = factory.start(vertx, apiKey, defaults)
                    .apply(e.getValue())
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get();
            System.out.println("simulator " + e.getKey() + " on 127.0.0.1:" + port);
        }
        System.out.println("SIMULATORS READY");
        Runtime.getRuntime().addShutdownHook(new Thread(vertx::close));
    }
}
