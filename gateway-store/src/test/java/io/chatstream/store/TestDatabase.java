package io.chatstream.store;

import io.chatstream.localpostgres.LocalPostgres;
import io.chatstream.localpostgres.PostgresTestResource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;

/** The test JVM's PostgreSQL, migrated once with the module's own migrations, as a service would. */
final class TestDatabase {

    private static boolean migrated;

    private TestDatabase() {}

    static synchronized Connection connect() throws SQLException {
        LocalPostgres server = PostgresTestResource.server();
        if (!migrated) {
            Flyway.configure()
                    .dataSource(server.jdbcUrl(), server.username(), server.password())
                    .load()
                    .migrate();
            migrated = true;
        }
        return DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password());
    }
}
