package io.chatstream.provider.aui.simulator;

import io.chatstream.simulator.LocalSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.Map;

/** The aui simulator for SimulatorsMain: {@link AuiSimulator} on port 9105 in the local run. */
public final class AuiVendorSimulator extends LocalSimulator {

    public AuiVendorSimulator() {
        super("aui", 9105);
    }

    @Override
    public Future<Integer> start(Vertx vertx, int port, String apiKey, Map<String, String> defaults) {
        return new AuiSimulator(vertx, apiKey, defaults).listen(port);
    }

    @Override
    public Map<String, String> botOptions(int port, String apiKey) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("url", "ws://127.0.0.1:" + port + "/api/ia-controller");
        options.put("api-key", apiKey);
        return options;
    }
}
