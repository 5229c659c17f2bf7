package io.chatstream.testkit;

import io.chatstream.testkit.GatewayCluster.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a {@link GatewayCluster} runs: how many replicas of each service, the environment they all
 * get and each replica's own, the JVM options, which simulators. Every service gets, under the
 * caller's environment: the broker ({@code KAFKA_BOOTSTRAP_SERVERS}), the database to those that keep
 * state there ({@code QUARKUS_DATASOURCE_*}, {@link Role}), the API keys, the stream-token secret, session-service replica 0 as {@code GATEWAY_STREAM_PUBLIC_URL}, and the simulators' bots
 * file ({@code QUARKUS_CONFIG_LOCATIONS}: one bot per vendor, named after it, at its simulator).
 */
public final class GatewayClusterBuilder {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final Path root = GatewayCluster.root();
    private Path logDir = Path.of(System.getProperty("java.io.tmpdir"), "gateway-cluster-logs");
    private List<String> apiKeys = List.of("testkit-key");
    private String streamTokenSecret = "testkit-stream-token-secret-0123456789";
    private final Map<Role, Integer> replicas = new EnumMap<>(Role.class);
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<Function<Map<String, Integer>, Map<String, String>>> envFromSimulators = new ArrayList<>();
    private final Map<Role, Map<Integer, Map<String, String>>> replicaEnv = new EnumMap<>(Role.class);
    private List<String> jvmOptions = List.of("-Xmx256m", "-XX:+UseSerialGC");
    private Path flightRecordings;
    private List<String> vendors = List.of();
    private Map<String, String> simulatorSwitches = Map.of();

    GatewayClusterBuilder() {
        for (Role role : Role.values()) {
            replicas.put(role, 1);
            replicaEnv.put(role, new HashMap<>());
        }
    }

    /** Where each process logs, {@code <name>.log} (appended to, a marker line per start). */
    public GatewayClusterBuilder logDir(Path dir) {
        this.logDir = dir;
        return this;
    }

    /** The API keys the ingress accepts; the first is {@link GatewayCluster#apiKey()}. */
    public GatewayClusterBuilder apiKeys(String... keys) {
        this.apiKeys = List.of(keys);
        return this;
    }

    public GatewayClusterBuilder streamTokenSecret(String secret) {
        this.streamTokenSecret = secret;
        return this;
    }

    /** How many processes of the service run side by side, each on its own port (0: none). */
    public GatewayClusterBuilder replicas(Role role, int count) {
        replicas.put(role, count);
        return this;
    }

    /** Environment of every service, over the cluster's own (a later value wins). */
    public GatewayClusterBuilder env(Map<String, String> more) {
        env.putAll(more);
        return this;
    }

    public GatewayClusterBuilder env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /**
     * Environment of every service made from the simulators' ports (by provider), once they listen;
     * {@link #env} wins over it.
     */
    public GatewayClusterBuilder envFromSimulators(Function<Map<String, Integer>, Map<String, String>> fromPorts) {
        envFromSimulators.add(fromPorts);
        return this;
    }

    /** Environment of one replica only ({@code replica} counts from 0), over everything else. */
    public GatewayClusterBuilder replicaEnv(Role role, int replica, Map<String, String> more) {
        replicaEnv
                .get(role)
                .computeIfAbsent(replica, r -> new LinkedHashMap<>())
                .putAll(more);
        return this;
    }

    /** The services' JVM options; {@code -Xmx256m -XX:+UseSerialGC} unless set. */
    public GatewayClusterBuilder jvmOptions(List<String> options) {
        this.jvmOptions = List.copyOf(options);
        return this;
    }

    /** Records each service with JDK Flight Recorder into {@code <dir>/<name>.jfr}. */
    public GatewayClusterBuilder flightRecordings(Path dir) {
        this.flightRecordings = dir;
        return this;
    }

    /** Only these providers' simulators, and no bots file (the caller configures its bots). */
    public GatewayClusterBuilder vendors(String... providers) {
        this.vendors = List.of(providers);
        return this;
    }

    /** Default {@code #sim:} switches of every simulator, e.g. {@code pace=5ms}. */
    public GatewayClusterBuilder simulatorSwitches(Map<String, String> switches) {
        this.simulatorSwitches = Map.copyOf(switches);
        return this;
    }

    /** Starts it all and waits until every service is ready; stops what it started if anything fails. */
    public GatewayCluster start() {
        Path workDir;
        try {
            workDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "gateway-cluster-");
            // Open to others (it is 700): as root, PostgreSQL runs as another user, whose data is in here.
            Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        GatewayCluster cluster = new GatewayCluster(workDir, apiKeys.get(0), streamTokenSecret);
        try {
            startAll(cluster, workDir);
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    private void startAll(GatewayCluster cluster, Path workDir) {
        Path botsFile = vendors.isEmpty() ? workDir.resolve("vendor-bots.properties") : null;
        BrokerProcess broker = cluster.started(new BrokerProcess(
                root,
                workDir.resolve("kafka-data"),
                GatewayCluster.freePort(),
                GatewayCluster.freePort(),
                log("kafka")));
        broker.start();
        PostgresProcess postgres = cluster.started(new PostgresProcess(
                root, workDir.resolve("postgres-data"), GatewayCluster.freePort(), log("postgres")));
        postgres.start();
        SimulatorsProcess simulators =
                cluster.started(new SimulatorsProcess(root, vendors, simulatorSwitches, botsFile, log("simulator")));
        simulators.start();
        broker.awaitReady();
        postgres.awaitReady();
        simulators.awaitReady();

        Map<Role, List<Integer>> ports = new EnumMap<>(Role.class);
        replicas.forEach((role, count) -> {
            List<Integer> free = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                free.add(GatewayCluster.freePort());
            }
            ports.put(role, free);
        });
        Map<String, String> common = new LinkedHashMap<>();
        common.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        common.put("GATEWAY_API_KEYS", String.join(",", apiKeys));
        common.put("GATEWAY_STREAM_TOKEN_SECRET", streamTokenSecret);
        if (!ports.get(Role.SESSION).isEmpty()) {
            common.put(
                    "GATEWAY_STREAM_PUBLIC_URL",
                    "ws://127.0.0.1:" + ports.get(Role.SESSION).get(0));
        }
        if (botsFile != null) {
            common.put("QUARKUS_CONFIG_LOCATIONS", botsFile.toString());
        }
        envFromSimulators.forEach(f -> common.putAll(f.apply(simulators.ports())));
        common.putAll(env);

        for (Role role : Role.values()) {
            List<Integer> rolePorts = ports.get(role);
            for (int i = 0; i < rolePorts.size(); i++) {
                String name = rolePorts.size() == 1 ? role.processName : role.processName + "-" + (i + 1);
                Map<String, String> replicaEnvironment = new LinkedHashMap<>();
                if (role.usesDatabase) {
                    replicaEnvironment.putAll(postgres.datasourceEnv());
                }
                replicaEnvironment.putAll(common);
                replicaEnvironment.putAll(replicaEnv.get(role).getOrDefault(i, Map.of()));
                List<String> options = new ArrayList<>(jvmOptions);
                if (flightRecordings != null) {
                    options.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                            + flightRecordings.resolve(name + ".jfr"));
                }
                cluster.started(
                        role,
                        new ServiceProcess(
                                        root,
                                        role.module,
                                        name,
                                        rolePorts.get(i),
                                        options,
                                        replicaEnvironment,
                                        log(name))
                                .start());
            }
        }
        for (ServiceProcess service : cluster.services()) {
            service.awaitReady(READY_TIMEOUT);
        }
    }

    private Path log(String name) {
        return logDir.resolve(name + ".log");
    }
}
