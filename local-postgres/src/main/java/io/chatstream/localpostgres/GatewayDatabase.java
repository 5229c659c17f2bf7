package io.chatstream.localpostgres;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * The gateway's role and database on a fresh or restarted server: role {@code gateway} (password
 * {@code gateway}) owning database {@code gateway}, created when absent, so that a server started
 * again on its data directory finds them as they were. Loopback only, with {@code trust}
 * authentication (initdb {@code --auth=trust}); the password is there for clients that send one,
 * as the services do. Kubernetes has real credentials.
 */
final class GatewayDatabase {

    static final String NAME = "gateway";
    static final String USER = "gateway";
    static final String PASSWORD = "gateway";

    /** The superuser that initdb creates ({@code -U postgres}). */
    private static final String SUPERUSER = "postgres";

    private GatewayDatabase() {}

    /**
     * Waits until this postmaster answers: {@code select 1}, from a server whose data directory is
     * {@code dataDir}, since another server may already listen on the port (ours then exits, unable
     * to bind). Fails at once if the postmaster exits (its log says why), or after {@code timeout}.
     */
    static void awaitReady(int port, Path dataDir, Process postmaster, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!postmaster.isAlive()) {
                throw new IllegalStateException("postgres exited with " + postmaster.exitValue());
            }
            try (Connection connection = connect(port, "postgres", SUPERUSER);
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("select current_setting('data_directory')")) {
                rows.next();
                String serving = rows.getString(1);
                if (Path.of(serving).equals(dataDir)) {
                    return;
                }
                last = new IllegalStateException("another server (data directory " + serving + ") answers on " + port);
            } catch (SQLException e) {
                last = e; // not listening yet, or "the database system is starting up"
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for postgres", e);
            }
        }
        throw new IllegalStateException(
                "postgres did not accept connections on port " + port + " within " + timeout, last);
    }

    /** Creates the role and the database if they are absent. */
    static void createIfAbsent(int port) {
        try (Connection connection = connect(port, "postgres", SUPERUSER);
                Statement statement = connection.createStatement()) {
            if (!exists(statement, "select 1 from pg_roles where rolname = '" + USER + "'")) {
                statement.execute("create role " + USER + " login password '" + PASSWORD + "'");
            }
            if (!exists(statement, "select 1 from pg_database where datname = '" + NAME + "'")) {
                statement.execute("create database " + NAME + " owner " + USER);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create role and database " + NAME + " on port " + port, e);
        }
    }

    static String jdbcUrl(int port, String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private static boolean exists(Statement statement, String query) throws SQLException {
        try (ResultSet rows = statement.executeQuery(query)) {
            return rows.next();
        }
    }

    /** Straight through the driver: DriverManager may not see it from a test's class loader. */
    private static Connection connect(int port, String database, String user) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("connectTimeout", "2");
        Connection connection = new Driver().connect(jdbcUrl(port, database), properties);
        if (connection == null) {
            throw new SQLException("the driver refuses " + jdbcUrl(port, database));
        }
        return connection;
    }
}
