package io.chatstream.provider.chatbase.simulator;

import io.chatstream.simulator.LocalSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.Map;

/** The chatbase simulator for SimulatorsMain: {@link ChatbaseSimulator} on port 9104 in the local run. */
public final class ChatbaseVendorSimulator extends LocalSimulator {

    public ChatbaseVendorSimulator() {
        super("chatbase", 9104);
    }

    @Override
    public Future<Integer> start(Vertx vertx, int port, String apiKey, Map<String, String> defaults) {
        return new ChatbaseSimulator(vertx, apiKey, defaults).listen(port);
    }

    @Override
    public Map<String, String> botOptions(int port, String apiKey) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("url", "http://127.0.0.1:" + port);
        options.put("api-key", apiKey);
        options.put("chatbot-id", "sim-chatbot");
        return options;
    }
}
