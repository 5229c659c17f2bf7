package io.chatstream.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The real PostgreSQL server of module {@code local-postgres}, as its own process ({@code
 * LocalPostgresMain} from {@code local-postgres/target}, test settings: no fsync): stopped with
 * SIGTERM it shuts the server down (fast shutdown), killed it takes the server along, and started
 * again it keeps its port and its data directory, so its tables survive.
 */
public final class PostgresProcess extends ChildProcess {

    /** Role and database that LocalPostgres creates; trust on loopback, the password for clients that send one. */
    public static final String USERNAME = "gateway";

    public static final String PASSWORD = "gateway";

    private final int port;

    public PostgresProcess(Path root, Path dataDir, int port, Path log) {
        super(
                "postgres",
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx64m",
                        "-XX:+UseSerialGC",
                        "-cp",
                        ModuleClasspath.of(root, "local-postgres"),
                        "io.chatstream.localpostgres.LocalPostgresMain",
                        dataDir.toString(),
                        String.valueOf(port),
                        "--for-tests"),
                Map.of(),
                log,
                Duration.ofSeconds(60));
        this.port = port;
    }

    /** Waits until role and database {@code gateway} take connections ({@code POSTGRES READY}). */
    public PostgresProcess awaitReady() {
        awaitLine("POSTGRES READY", Duration.ofSeconds(90));
        return this;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/gateway";
    }

    /** The services' datasource, as their environment names it. */
    public Map<String, String> datasourceEnv() {
        return Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl(),
                "QUARKUS_DATASOURCE_USERNAME", USERNAME,
                "QUARKUS_DATASOURCE_PASSWORD", PASSWORD);
    }
}
