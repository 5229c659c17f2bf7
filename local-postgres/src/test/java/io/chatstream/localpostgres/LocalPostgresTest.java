package io.chatstream.localpostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class LocalPostgresTest {

    @Test
    void aRestartedServerKeepsItsRowsAndASecondServerRunsBesideIt() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "postgres-restart-");
        int port;
        try (LocalPostgres server = LocalPostgres.start(dataDir, 0, true)) {
            port = server.port();
            assertThat(server.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + port + "/gateway");
            execute(server, "create table kept (id int primary key, text varchar not null)");
            execute(server, "insert into kept values (1, 'before the restart')");
        }
        Path otherDir = Files.createTempDirectory(Path.of("target"), "postgres-beside-");
        try (LocalPostgres again = LocalPostgres.start(dataDir, port, true);
                LocalPostgres beside = LocalPostgres.start(otherDir, 0, true)) {
            assertThat(query(again, "select text from kept where id = 1")).contains("before the restart");
            assertThat(beside.port()).isNotEqualTo(again.port());
            assertThat(query(beside, "select to_regclass('kept')::text")).isEmpty();
            execute(beside, "create table kept (id int primary key)");
            // A taken port fails the start, even though a server answers there.
            Path thirdDir = Files.createTempDirectory(Path.of("target"), "postgres-taken-");
            assertThatThrownBy(() -> LocalPostgres.start(thirdDir, again.port(), true))
                    .hasMessageContaining("port " + again.port() + " is in use");
            Folders.deleteTree(thirdDir);
        }
        Folders.deleteTree(dataDir);
        Folders.deleteTree(otherDir);
    }

    @Test
    void theTestResourceHandsQuarkusOneServerPerJvm() throws Exception {
        Map<String, String> config = new PostgresTestResource().start();
        LocalPostgres server = PostgresTestResource.server();
        assertThat(new PostgresTestResource().start()).isEqualTo(config);
        assertThat(config)
                .containsEntry("quarkus.datasource.jdbc.url", server.jdbcUrl())
                .containsEntry("quarkus.datasource.username", "gateway")
                .containsEntry("quarkus.datasource.password", "gateway");
        assertThat(query(server, "select current_user")).contains("gateway");
    }

    @Test
    void itsProcessStopsTheServerOnSigtermAndTakesItAlongOnKillNine() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "postgres-main-");
        Path output = dataDir.resolveSibling(dataDir.getFileName() + ".out");

        Process main = startMain(dataDir, output);
        long postmaster = awaitReady(main, dataDir, output);
        main.destroy(); // SIGTERM
        assertThat(main.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessHandle.of(postmaster)).isEmpty();
        assertThat(Files.readString(dataDir.resolve("postgres.log"))).contains("database system is shut down");

        Process again = startMain(dataDir, output);
        long second = awaitReady(again, dataDir, output);
        again.destroyForcibly(); // kill -9: no shutdown hook
        Optional<ProcessHandle> orphan = ProcessHandle.of(second);
        if (orphan.isPresent()) {
            try {
                orphan.get().onExit().get(30, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                orphan.get().destroyForcibly();
                fail("the postmaster outlived its JVM's kill -9");
            }
        }
        Folders.deleteTree(dataDir);
        Files.delete(output);
    }

    private static Process startMain(Path dataDir, Path output) throws IOException {
        return new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        LocalPostgresMain.class.getName(),
                        dataDir.toString(),
                        "0",
                        "--for-tests")
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
    }

    /** Waits for POSTGRES READY; the postmaster's pid, from its postmaster.pid. */
    private static long awaitReady(Process main, Path dataDir, Path output) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!Files.readString(output).contains("POSTGRES READY")) {
            assertThat(main.isAlive()).as(() -> "exited: " + read(output)).isTrue();
            assertThat(System.nanoTime()).as(() -> "not ready: " + read(output)).isLessThan(deadline);
            Thread.sleep(100);
        }
        List<String> pidFile = Files.readAllLines(dataDir.resolve("postmaster.pid"));
        long pid = Long.parseLong(pidFile.get(0).trim());
        assertThat(ProcessHandle.of(pid).flatMap(h -> h.parent()).map(ProcessHandle::pid))
                .contains(main.pid());
        return pid;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static void execute(LocalPostgres server, String sql) throws SQLException {
        try (Connection connection =
                        DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The first column of the first row; empty when there is none, or it is null. */
    private static Optional<String> query(LocalPostgres server, String sql) throws SQLException {
        try (Connection connection =
                        DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? Optional.ofNullable(rows.getString(1)) : Optional.empty();
        }
    }
}
