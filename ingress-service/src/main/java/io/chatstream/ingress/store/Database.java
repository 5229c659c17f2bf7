package io.chatstream.ingress.store;

import io.chatstream.ingress.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The ingress's one way to the database: a unit of work in one transaction on a pooled
 * connection. A database that fails answers 503 (nothing was accepted, the client may retry); a
 * {@link ProblemException} thrown by the work rolls it back and reaches the client as it is.
 */
@ApplicationScoped
public class Database {

    private static final Logger LOG = Logger.getLogger(Database.class);

    /** A unit of work on one connection. */
    @FunctionalInterface
    public interface Work<T> {
        T on(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;

    public Database(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public <T> T inTransaction(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.on(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(connection);
                throw e;
            }
        } catch (SQLException e) {
            LOG.warnf("database call failed: %s (SQLState %s)", e.getMessage(), e.getSQLState());
            throw ProblemException.unavailable(
                    "The gateway's database cannot take the request now; nothing was accepted. Retry later.");
        }
    }

    private static void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // The connection is broken: the pool discards it, and the transaction is gone with it.
            LOG.debugf("rollback failed: %s", e.getMessage());
        }
    }
}
