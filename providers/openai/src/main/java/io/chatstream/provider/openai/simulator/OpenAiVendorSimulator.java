package io.chatstream.provider.openai.simulator;

import io.chatstream.simulator.LocalSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.Map;

/** The openai simulator for SimulatorsMain: {@link OpenAiSimulator} on port 9101 in the local run. */
public final class OpenAiVendorSimulator extends LocalSimulator {

    public OpenAiVendorSimulator() {
        super("openai", 9101);
    }

    @Override
    public Future<Integer> start(Vertx vertx, int port, String apiKey, Map<String, String> defaults) {
        return new OpenAiSimulator(vertx, apiKey, defaults).listen(port);
    }

    @Override
    public Map<String, String> botOptions(int port, String apiKey) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("url", "http://127.0.0.1:" + port);
        options.put("api-key", apiKey);
        options.put("model", "sim-model");
        return options;
    }
}
