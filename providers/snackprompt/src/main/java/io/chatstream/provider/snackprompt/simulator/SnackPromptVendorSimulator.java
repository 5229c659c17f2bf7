package io.chatstream.provider.snackprompt.simulator;

import io.chatstream.simulator.LocalSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.Map;

/** The snackprompt simulator for SimulatorsMain: {@link SnackPromptSimulator} on port 9106 in the local run. */
public final class SnackPromptVendorSimulator extends LocalSimulator {

    public SnackPromptVendorSimulator() {
        super("snackprompt", 9106);
    }

    @Override
    public Future<Integer> start(Vertx vertx, int port, String apiKey, Map<String, String> defaults) {
        return new SnackPromptSimulator(vertx, apiKey, defaults).listen(port);
    }

    @Override
    public Map<String, String> botOptions(int port, String apiKey) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("url", "http://127.0.0.1:" + port);
        options.put("api-key", apiKey);
        options.put("tenant-id", "sim-tenant");
        return options;
    }
}
