package io.chatstream.connector.database;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Runs the connector's JDBC calls (gateway-store's statements) off the event loops, which must
 * never wait for the database: on a few threads of its own ({@code connector-database-<n>}), each
 * with a bounded queue. A session's calls always go to the same thread, so they run in the order
 * they were made: the next message of a session reads the conversation its previous message saved.
 *
 * <p>A call that fails because the database is away (no connection, restarting, overloaded) is
 * tried again after a short pause, on the same thread, so the order holds. It fails after its last
 * attempt, when the queue is full, and when it is not done within {@link #DEADLINE} of being made
 * (the calls queued behind a database that hangs fail in turn, instead of each waiting for it):
 * a warning, and {@code gateway_connector_database_failures_total{operation}} counts it.
 */
@ApplicationScoped
public class DatabaseExecutor {

    private static final Logger LOG = Logger.getLogger(DatabaseExecutor.class);

    /**
     * Threads, each a connection at most: fewer than the pool's {@code quarkus.datasource.jdbc.max-size}
     * (5), which also serves the health check and Flyway at start.
     */
    static final int THREADS = 4;
    /** Per thread: calls beyond this many waiting fail at once instead of piling up while the database is away. */
    static final int QUEUE = 2_000;
    /** The pauses before the second and third attempts; the last one repeats until the deadline. */
    static final List<Duration> BACKOFF = List.of(Duration.ofMillis(200), Duration.ofSeconds(1));
    /**
     * No attempt starts later than this after the call was made: a message waits this long for its
     * conversation at most (plus one attempt: the pool's acquisition timeout, 5 s).
     */
    static final Duration DEADLINE = Duration.ofSeconds(10);
    /**
     * The deadline of a write nobody waits for but that must not be lost to a short outage (a
     * message's outcome in history): a database restart or fail-over takes seconds to a minute.
     */
    public static final Duration OUTLAST_OUTAGE = Duration.ofMinutes(2);

    /** One call, on a connection of the pool (autocommit). */
    @FunctionalInterface
    public interface JdbcCall<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    private final MeterRegistry registry;
    private final List<ThreadPoolExecutor> lanes;
    private final Duration deadline;

    @Inject
    public DatabaseExecutor(DataSource dataSource, MeterRegistry registry) {
        this(dataSource, registry, DEADLINE);
    }

    DatabaseExecutor(DataSource dataSource, MeterRegistry registry, Duration deadline) {
        this.dataSource = dataSource;
        this.registry = registry;
        this.deadline = deadline;
        this.lanes =
                IntStream.range(0, THREADS).mapToObj(DatabaseExecutor::lane).toList();
    }

    private static ThreadPoolExecutor lane(int index) {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), task -> {
            Thread thread = new Thread(task, "connector-database-" + index);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Runs {@code call} after the session's earlier calls. The future completes on the database
     * thread: whoever continues on an event loop hops back to it.
     *
     * @param operation what the call is, for the log and the failure counter ({@code history} …)
     */
    public <T> CompletableFuture<T> submit(String sessionId, String operation, JdbcCall<T> call) {
        return submit(sessionId, operation, deadline, call);
    }

    /** The same with a deadline of its own ({@link #OUTLAST_OUTAGE} for a write that must survive one). */
    public <T> CompletableFuture<T> submit(String sessionId, String operation, Duration patience, JdbcCall<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        long until = System.nanoTime() + patience.toNanos();
        try {
            lanes.get(Math.floorMod(sessionId.hashCode(), THREADS))
                    .execute(() -> attempt(sessionId, operation, call, until, result));
        } catch (RejectedExecutionException e) {
            failed(operation, sessionId, "its database queue is full (or the connector is stopping)", e, result);
        }
        return result;
    }

    private <T> void attempt(
            String sessionId, String operation, JdbcCall<T> call, long until, CompletableFuture<T> result) {
        for (int attempt = 0; ; attempt++) {
            if (System.nanoTime() - until > 0) {
                failed(operation, sessionId, "not run before its deadline", null, result);
                return;
            }
            try {
                result.complete(once(call));
                return;
            } catch (SQLException e) {
                Duration pause = BACKOFF.get(Math.min(attempt, BACKOFF.size() - 1));
                if (!databaseAway(e) || System.nanoTime() + pause.toNanos() - until > 0) {
                    failed(operation, sessionId, e.getMessage(), e, result);
                    return;
                }
                LOG.debugf("%s of session %s: %s, again in %s", operation, sessionId, e.getMessage(), pause);
                if (!pause(pause)) {
                    failed(operation, sessionId, "interrupted", e, result);
                    return;
                }
            } catch (RuntimeException e) {
                failed(operation, sessionId, e.toString(), e, result);
                return;
            }
        }
    }

    /** Runs the call once; a connection that fails to close after it does not make it run again. */
    private <T> T once(JdbcCall<T> call) throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            return call.run(connection);
        } finally {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debugf("a connection did not close: %s", e.getMessage());
            }
        }
    }

    /**
     * Whether trying again may help: no connection (SQLState class 08, or none at all: the pool's
     * acquisition timeout), the server shutting down or starting (57), too many connections (53),
     * a conflict with another transaction (40). Not a constraint, data or syntax error.
     */
    static boolean databaseAway(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLTransientException
                || e instanceof SQLRecoverableException
                || state == null
                || state.startsWith("08")
                || state.startsWith("57")
                || state.startsWith("53")
                || state.startsWith("40");
    }

    private void failed(String operation, String sessionId, String why, Throwable e, CompletableFuture<?> result) {
        LOG.warnf("the database call %s of session %s failed: %s", operation, sessionId, why);
        Counter.builder("gateway.connector.database.failures")
                .description("Database calls that failed after their retries, or were refused with a full queue")
                .tag("operation", operation)
                .register(registry)
                .increment();
        result.completeExceptionally(e != null ? e : new TimeoutException(operation + " " + why));
    }

    private static boolean pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * After the request loops drained (their observer runs first): the calls already made, the
     * history of the last messages among them, still run, for a few seconds at most, while the
     * connection pool is open.
     */
    void onStop(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER + 500) ShutdownEvent event) {
        lanes.forEach(ThreadPoolExecutor::shutdown);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (ThreadPoolExecutor lane : lanes) {
            try {
                if (!lane.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    LOG.warnf(
                            "stopping with %d database calls not run",
                            lane.getQueue().size());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
