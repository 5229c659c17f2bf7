package io.chatstream.localpostgres;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One real PostgreSQL server per test JVM, shared by every {@code @QuarkusTest} class of a module
 * (each names this resource) and by plain JUnit tests ({@link #server()}); test settings (no fsync),
 * its data in a temporary folder. Stopped, and its folder deleted, when the JVM exits.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private static LocalPostgres server;

    /** The shared server, started on first use. */
    public static synchronized LocalPostgres server() {
        if (server == null) {
            Path dataDir;
            try {
                dataDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "postgres-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            LocalPostgres started = LocalPostgres.start(dataDir, 0, true);
            // Its own hook stops it too; close() waits for whichever runs first, then the folder goes.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.close();
                Folders.deleteTree(dataDir);
            }));
            server = started;
        }
        return server;
    }

    @Override
    public Map<String, String> start() {
        LocalPostgres postgres = server();
        return Map.of(
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(),
                "quarkus.datasource.username", postgres.username(),
                "quarkus.datasource.password", postgres.password());
    }

    @Override
    public void stop() {
        // Kept for the other test classes of this JVM; the shutdown hook stops it.
    }
}
