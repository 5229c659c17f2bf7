package io.chatstream.connector.database;

import io.chatstream.connector.config.ConnectorConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Runs the connector's JDBC calls (gateway-store's statements) off the event loops, which must
 * never wait for the database: on a few threads of its own ({@code connector-database-<n>}). A
 * session's calls always go to the same thread, so they run in the order they were made: the next
 * message of a session reads the conversation its previous message saved.
 *
 * <p>No call is refused for want of room: the request loops stop taking requests while {@link
 * #full()} ({@code gateway.connector.database-max-queued} calls queued or running), so what the
 * queues hold is that bound plus the calls of the messages already taken (three at most each).
 *
 * <p>A call that fails because the database is away (no connection, restarting, overloaded) is
 * tried again after a short pause, on the same thread, so the order holds. A read someone waits
 * for fails when it is not done within {@link #DEADLINE} of being made (the calls queued behind a
 * database that hangs fail in turn, instead of each waiting for it); a {@link #write} is tried
 * until the database takes it, however long it is away. Failures (a write only when the database
 * refused it, or the connector stopped first) are a warning and count in {@code
 * gateway_connector_database_failures_total{operation}}.
 */
@ApplicationScoped
public class DatabaseExecutor {

    private static final Logger LOG = Logger.getLogger(DatabaseExecutor.class);

    /**
     * Threads, each a connection at most: fewer than the pool's {@code quarkus.datasource.jdbc.max-size}
     * (5), which also serves the health check and Flyway at start.
     */
    static final int THREADS = 4;
    /** The pauses before the second and third attempts; the last one repeats until the deadline. */
    static final List<Duration> BACKOFF = List.of(Duration.ofMillis(200), Duration.ofSeconds(1));
    /**
     * No attempt starts later than this after the call was made: a message waits this long for its
     * conversation at most (plus one attempt: the pool's acquisition timeout, 5 s).
     */
    static final Duration DEADLINE = Duration.ofSeconds(10);
    /** How long the calls still queued at shutdown may run, while the connection pool is open. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    /** One call, on a connection of the pool (autocommit). */
    @FunctionalInterface
    public interface JdbcCall<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    private final MeterRegistry registry;
    private final List<ThreadPoolExecutor> lanes;
    private final Duration deadline;
    private final int maxQueued;
    /** Calls made and not finished, every lane: what {@link #full()} compares with the bound. */
    private final AtomicInteger queued = new AtomicInteger();

    private volatile boolean stopped;

    @Inject
    public DatabaseExecutor(DataSource dataSource, MeterRegistry registry, ConnectorConfig config) {
        this(dataSource, registry, DEADLINE, config.connector().databaseMaxQueued());
    }

    DatabaseExecutor(DataSource dataSource, MeterRegistry registry, Duration deadline, int maxQueued) {
        this.dataSource = dataSource;
        this.registry = registry;
        this.deadline = deadline;
        this.maxQueued = maxQueued;
        this.lanes =
                IntStream.range(0, THREADS).mapToObj(DatabaseExecutor::lane).toList();
        Gauge.builder("gateway.connector.database.queued", queued, AtomicInteger::get)
                .description("Database calls made and not finished; reading pauses at database-max-queued")
                .register(registry);
    }

    /**
     * Whether as many calls as the bound are queued or running: the request loops take no request
     * then, so that the queues are not the place where work waits for a slow or absent database.
     */
    public boolean full() {
        return queued.get() >= maxQueued;
    }

    private static ThreadPoolExecutor lane(int index) {
        // Unbounded: a queue that refused would lose the call; full() bounds it from the Kafka side.
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
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

    /** The same with a deadline of its own. */
    public <T> CompletableFuture<T> submit(String sessionId, String operation, Duration patience, JdbcCall<T> call) {
        return enqueue(sessionId, operation, System.nanoTime() + patience.toNanos(), true, call);
    }

    /**
     * A write nobody waits for that must not be lost (a message's outcome in history, a
     * conversation): no deadline, it is tried again for as long as the database is away and this
     * instance runs. Meanwhile the queue fills to its bound and the request loops wait.
     */
    public <T> CompletableFuture<T> write(String sessionId, String operation, JdbcCall<T> call) {
        return enqueue(sessionId, operation, 0, false, call);
    }

    private <T> CompletableFuture<T> enqueue(
            String sessionId, String operation, long until, boolean hasDeadline, JdbcCall<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        queued.incrementAndGet();
        try {
            lanes.get(Math.floorMod(sessionId.hashCode(), THREADS)).execute(() -> {
                try {
                    attempt(sessionId, operation, call, until, hasDeadline, result);
                } finally {
                    queued.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            queued.decrementAndGet();
            failed(operation, sessionId, "the connector is stopping", e, result);
        }
        return result;
    }

    private <T> void attempt(
            String sessionId,
            String operation,
            JdbcCall<T> call,
            long until,
            boolean hasDeadline,
            CompletableFuture<T> result) {
        for (int attempt = 0; ; attempt++) {
            if (hasDeadline && System.nanoTime() - until > 0) {
                failed(operation, sessionId, "not run before its deadline", null, result);
                return;
            }
            if (stopped) {
                failed(operation, sessionId, "the connector stopped before the database took it", null, result);
                return;
            }
            try {
                result.complete(once(call));
                return;
            } catch (SQLException e) {
                Duration pause = BACKOFF.get(Math.min(attempt, BACKOFF.size() - 1));
                if (!databaseAway(e) || (hasDeadline && System.nanoTime() + pause.toNanos() - until > 0)) {
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
                .description("Database calls that failed after their retries, or that the connector stopped before")
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
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        for (ThreadPoolExecutor lane : lanes) {
            try {
                if (!lane.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    LOG.warnf(
                            "stopping with %d database calls not run",
                            lane.getQueue().size());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // A write still retrying against an absent database gives up now (counted), not at exit.
        stopped = true;
    }
}
