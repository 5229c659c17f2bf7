package io.chatstream.simulator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A vendor's wire-exact simulator, as the gateway's tools see it: every vendor module declares one
 * in {@code META-INF/services/io.chatstream.simulator.VendorSimulator}, and {@link SimulatorsMain}
 * finds them all by {@link java.util.ServiceLoader}, with no list in code. An implementation has
 * a public no-argument constructor.
 */
public interface VendorSimulator {

    /** The provider it simulates, as in {@code gateway.bots.<bot>.provider}. */
    String provider();

    /**
     * Its port in the local run ({@code SimulatorsMain --ports=fixed}); empty for a provider with no
     * vendor to simulate (demo), which is then not started, only given its bot.
     */
    OptionalInt defaultPort();

    /**
     * Starts one simulator on {@code 127.0.0.1:port} (0: a free port).
     *
     * @param apiKey the credential it accepts
     * @param defaults {@code #sim:} switches that apply unless a message overrides them
     * @return the port it listens on
     */
    Future<Integer> start(Vertx vertx, int port, String apiKey, Map<String, String> defaults);

    /**
     * The options of a bot that talks to this simulator on {@code 127.0.0.1:port}, in the order a
     * properties file lists them: keys under {@code gateway.bots.<bot>.}, without {@code provider}.
     */
    Map<String, String> botOptions(int port, String apiKey);
}
