package io.chatstream.simulator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * Starts every vendor simulator on the classpath ({@link VendorSimulator}s, found by ServiceLoader)
 * as one process, for the local run and the test clusters:
 *
 * <pre>
 * java -cp "provider-connector-service/target/quarkus-app/lib/main/*" io.chatstream.simulator.SimulatorsMain \
 *     [--ports=fixed|free] [--bots-file=PATH] [--pace=25ms …]
 * </pre>
 *
 * The connector's own classpath holds every simulator (each vendor module ships its own), so its
 * image can run them too. {@code --ports=fixed} (the default) uses each simulator's own port,
 * {@code free} any free one. Prints {@code simulator <provider> on 127.0.0.1:<port>} for each,
 * writes the bots file (one bot per provider, named after it, pointing at its simulator; demo
 * included), then prints {@code SIMULATORS READY}. Any other {@code --name=value} is a default
 * {@code #sim:} switch of every simulator. The older form {@code <provider>=<port> …} starts only
 * the providers it names, on those ports. The API key they accept is {@code SIMULATOR_API_KEY}
 * ({@code sim-key} by default).
 */
public final class SimulatorsMain {

    /** Makes a simulator with the API key it accepts and its default switches; returns its listen. */
    @FunctionalInterface
    public interface Factory {
        IntFunction<Future<Integer>> start(Vertx vertx, String apiKey, Map<String, String> defaults);
    }

    /** Every simulator on the classpath, by provider name, sorted by its local-run port. */
    public static List<VendorSimulator> simulators() {
        List<VendorSimulator> all = new ArrayList<>();
        ServiceLoader.load(VendorSimulator.class).forEach(all::add);
        all.sort(Comparator.comparingInt((VendorSimulator s) -> s.defaultPort().orElse(-1))
                .thenComparing(VendorSimulator::provider));
        return all;
    }

    /** The simulators that listen, as factories by provider name (for in-process test clusters). */
    public static final Map<String, Factory> SIMULATORS = factories();

    private SimulatorsMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> defaults = new HashMap<>();
        Map<String, Integer> named = new LinkedHashMap<>();
        boolean freePorts = false;
        Path botsFile = null;
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            String value = kv.length > 1 ? kv[1] : "true";
            if (!arg.startsWith("--")) {
                named.put(kv[0], Integer.parseInt(value));
            } else if (kv[0].equals("ports")) {
                if (!value.equals("fixed") && !value.equals("free")) {
                    throw new IllegalArgumentException("--ports is fixed or free, not " + value);
                }
                freePorts = value.equals("free");
            } else if (kv[0].equals("bots-file")) {
                botsFile = Path.of(value);
            } else {
                defaults.put(kv[0], value);
            }
        }
        String apiKey = System.getenv().getOrDefault("SIMULATOR_API_KEY", "sim-key");
        List<VendorSimulator> simulators = simulators();
        Map<String, VendorSimulator> byName = new TreeMap<>();
        simulators.forEach(s -> byName.put(s.provider(), s));
        for (String name : named.keySet()) {
            if (!byName.containsKey(name)) {
                throw new IllegalArgumentException("unknown simulator " + name + "; known: " + byName.keySet());
            }
        }
        Vertx vertx = Vertx.vertx();
        Runtime.getRuntime().addShutdownHook(new Thread(vertx::close));
        StringBuilder bots = new StringBuilder("config_ordinal=250\n");
        for (VendorSimulator simulator : simulators) {
            if (!named.isEmpty() && !named.containsKey(simulator.provider())) {
                continue;
            }
            int port = 0;
            if (simulator.defaultPort().isPresent()) {
                int wanted = named.getOrDefault(
                        simulator.provider(),
                        freePorts ? 0 : simulator.defaultPort().getAsInt());
                port = simulator
                        .start(vertx, wanted, apiKey, defaults)
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get();
                System.out.println("simulator " + simulator.provider() + " on 127.0.0.1:" + port);
            }
            bots.append(botProperties(simulator, port, apiKey));
        }
        if (botsFile != null) {
            write(botsFile, bots.toString());
        }
        System.out.println("SIMULATORS READY");
    }

    /** The bot of one provider, named after it: {@code gateway.bots.<p>.provider=<p>} and its options. */
    static String botProperties(VendorSimulator simulator, int port, String apiKey) {
        String prefix = "gateway.bots." + simulator.provider() + ".";
        StringBuilder bot = new StringBuilder("\n" + prefix + "provider=" + simulator.provider() + "\n");
        simulator.botOptions(port, apiKey).forEach((key, value) -> bot.append(prefix + key + "=" + value + "\n"));
        return bot.toString();
    }

    private static void write(Path file, String content) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static Map<String, Factory> factories() {
        Map<String, Factory> factories = new TreeMap<>();
        for (VendorSimulator simulator : simulators()) {
            if (simulator.defaultPort().isPresent()) {
                factories.put(
                        simulator.provider(),
                        (vertx, key, defaults) -> port -> simulator.start(vertx, port, key, defaults));
            }
        }
        return Map.copyOf(factories);
    }
}
