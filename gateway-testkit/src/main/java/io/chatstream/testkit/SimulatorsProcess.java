package io.chatstream.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The vendor simulators as one process: {@code SimulatorsMain} from the connector's own classpath
 * ({@code provider-connector-service/target/quarkus-app/lib/main}), where every vendor module is,
 * found there by ServiceLoader; so no test module lists the vendors. On free ports; optionally it
 * writes the bots file (one bot per vendor, named after it, at its simulator).
 */
public final class SimulatorsProcess extends ChildProcess {

    /** The API key every simulator accepts. */
    public static final String API_KEY = "sim-key";

    private static final Pattern LISTENING = Pattern.compile("simulator ([a-z0-9]+) on 127\\.0\\.0\\.1:(\\d+)");

    private volatile Map<String, Integer> ports = Map.of();

    /**
     * @param vendors the providers to start (each on a free port); empty: every one on the classpath
     * @param switches default {@code #sim:} switches of every simulator ({@code pace=5ms} …)
     * @param botsFile where to write the bots file; null: none
     */
    public SimulatorsProcess(Path root, List<String> vendors, Map<String, String> switches, Path botsFile, Path log) {
        super(
                "simulator",
                command(root, vendors, switches, botsFile),
                Map.of("SIMULATOR_API_KEY", API_KEY),
                log,
                Duration.ofSeconds(15));
    }

    private static List<String> command(Path root, List<String> vendors, Map<String, String> switches, Path botsFile) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                root.resolve("provider-connector-service/target/quarkus-app/lib/main/*")
                        .toString(),
                "io.chatstream.simulator.SimulatorsMain"));
        if (vendors.isEmpty()) {
            command.add("--ports=free");
        }
        vendors.forEach(vendor -> command.add(vendor + "=0"));
        if (botsFile != null) {
            command.add("--bots-file=" + botsFile);
        }
        switches.forEach((name, value) -> command.add("--" + name + "=" + value));
        return command;
    }

    /** Waits until every simulator listens ({@code SIMULATORS READY}) and reads their ports. */
    public SimulatorsProcess awaitReady() {
        awaitLine("SIMULATORS READY", Duration.ofSeconds(60));
        Map<String, Integer> found = new TreeMap<>();
        Matcher m = LISTENING.matcher(output());
        while (m.find()) {
            found.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        ports = Map.copyOf(found);
        return this;
    }

    /** The port of each simulator that listens, by provider (demo has none). */
    public Map<String, Integer> ports() {
        return ports;
    }

    public int port(String provider) {
        Integer port = ports.get(provider);
        if (port == null) {
            throw new IllegalArgumentException("no simulator of " + provider + " runs; running: " + ports.keySet());
        }
        return port;
    }
}
