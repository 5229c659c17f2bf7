package io.chatstream.provider.demo.simulator;

import io.chatstream.simulator.VendorSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The demo provider has no vendor to simulate: it is here so that the local bots (SimulatorsMain's
 * bots file) have the demo bot too, with nothing to start.
 */
public final class DemoVendorSimulator implements VendorSimulator {

    @Override
    public String provider() {
        return "demo";
    }

    @Override
    public OptionalInt defaultPort() {
        return OptionalInt.empty();
    }

    @Override
    public Future<Integer> start(Vertx vertx, int port, String apiKey, Map<String, String> defaults) {
        return Future.succeededFuture(0);
    }

    @Override
    public Map<String, String> botOptions(int port, String apiKey) {
        return Map.of();
    }
}
