package io.chatstream.ingress.store;

import io.chatstream.ingress.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The ingress's one way to the database: a unit of work on a pooled connection, in one
 * transaction or with each statement its own (auto-commit, for work that is one statement). A database that fails answers 503 (nothing was accepted, the client may retry); a
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
        return onConnection(connection -> {
            connection.setAutoCommit(false);
            try {
                T result = work.on(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(connection);
                throw e;
            }
        });
    }

    /** Work whose every statement commits as it ends: no BEGIN, no COMMIT, no round trip for either. */
    public <T> T autoCommitted(Work<T> work) {
        return onConnection(connection -> {
            connection.setAutoCommit(true);
            return work.on(connection);
        });
    }

    private <T> T onConnection(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.on(connection);
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
