package io.chatstream.provider.chatbotkit.simulator;

import io.chatstream.simulator.LocalSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.Map;

/** The chatbotkit simulator for SimulatorsMain: {@link ChatbotkitSimulator} on port 9103 in the local run. */
public final class ChatbotkitVendorSimulator extends LocalSimulator {

    public ChatbotkitVendorSimulator() {
        super("chatbotkit", 9103);
    }

    @Override
    public Future<Integer> start(Vertx vertx, int port, String apiKey, Map<String, String> defaults) {
        return new ChatbotkitSimulator(vertx, apiKey, defaults).listen(port);
    }

    @Override
    public Map<String, String> botOptions(int port, String apiKey) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("url", "http://127.0.0.1:" + port);
        options.put("api-key", apiKey);
        return options;
    }
}
