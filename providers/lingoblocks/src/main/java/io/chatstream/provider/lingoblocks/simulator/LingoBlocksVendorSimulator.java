package io.chatstream.provider.lingoblocks.simulator;

import io.chatstream.simulator.LocalSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.Map;

/** The lingoblocks simulator for SimulatorsMain: {@link LingoBlocksSimulator} on port 9102 in the local run. LingoBlocks has no API key: its chatbot id is the credential. */
public final class LingoBlocksVendorSimulator extends LocalSimulator {

    public LingoBlocksVendorSimulator() {
        super("lingoblocks", 9102);
    }

    @Override
    public Future<Integer> start(Vertx vertx, int port, String apiKey, Map<String, String> defaults) {
        return new LingoBlocksSimulator(vertx, LingoBlocksSimulator.DEFAULT_CHATBOT_ID, defaults).listen(port);
    }

    @Override
    public Map<String, String> botOptions(int port, String apiKey) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("url", "http://127.0.0.1:" + port);
        options.put("chatbot-id", LingoBlocksSimulator.DEFAULT_CHATBOT_ID);
        return options;
    }
}
