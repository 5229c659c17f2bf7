package io.chatstream.connector.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Retries while the database is away, gives up with a count, keeps a session's calls in order. */
class DatabaseExecutorTest {

    private final AtomicInteger connectionsRefused = new AtomicInteger();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DatabaseExecutor database =
            new DatabaseExecutor(dataSource(), registry, DatabaseExecutor.DEADLINE, 1000);

    @AfterEach
    void stop() {
        database.onStop(null);
    }

    @Test
    void aCallIsTriedAgainWhileTheDatabaseIsAway() throws Exception {
        connectionsRefused.set(2);

        assertThat(database.submit("s-1", "test", connection -> "done").get(5, TimeUnit.SECONDS))
                .isEqualTo("done");
        assertThat(connectionsRefused).hasValue(0);
        assertThat(registry.find("gateway.connector.database.failures").counter())
                .isNull();
    }

    @Test
    void aCallFailsWhenTheDatabaseStaysAwayPastItsDeadlineAndIsCounted() {
        connectionsRefused.set(100);

        // Attempts at 0, 0.2 and 1.2 s; the next would start after the 1.5 s deadline.
        CompletableFuture<String> call =
                database.submit("s-1", "history", Duration.ofMillis(1500), connection -> "never");

        assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(SQLException.class);
        assertThat(connectionsRefused).hasValue(100 - 3);
        assertThat(registry.get("gateway.connector.database.failures")
                        .tag("operation", "history")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void aWriteOutlastsAnOutageLongerThanTheReadsDeadline() throws Exception {
        DatabaseExecutor hurried = new DatabaseExecutor(dataSource(), registry, Duration.ofMillis(300), 1000);
        try {
            // Refused at 0, 0.2, 1.2, 2.2 and 3.2 s: a database down ten times the reads' deadline.
            connectionsRefused.set(5);

            CompletableFuture<String> call = hurried.write("s-1", "history", connection -> "kept");

            assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("kept");
            assertThat(connectionsRefused).hasValue(0);
        } finally {
            hurried.onStop(null);
        }
    }

    @Test
    void aCallThatTheDatabaseRefusesIsNotTriedAgain() {
        AtomicInteger attempts = new AtomicInteger();

        CompletableFuture<Object> call = database.submit("s-1", "test", connection -> {
            attempts.incrementAndGet();
            throw new SQLException("duplicate key", "23505");
        });

        assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(SQLException.class);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void callsQueuedBehindAHangingDatabaseFailWithoutRunningOnceTheirDeadlinePassed() throws Exception {
        DatabaseExecutor hurried = new DatabaseExecutor(dataSource(), registry, Duration.ofMillis(300), 1000);
        AtomicInteger ran = new AtomicInteger();
        try {
            CompletableFuture<Object> slow = hurried.submit("s-1", "test", connection -> {
                LockSupport.parkNanos(Duration.ofMillis(600).toNanos());
                return ran.incrementAndGet();
            });
            CompletableFuture<Object> behind =
                    hurried.submit("s-1", "conversation-load", connection -> ran.incrementAndGet());

            assertThat(slow.get(5, TimeUnit.SECONDS)).isEqualTo(1);
            assertThatThrownBy(() -> behind.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutException.class);
            assertThat(ran).hasValue(1);
            assertThat(registry.get("gateway.connector.database.failures")
                            .tag("operation", "conversation-load")
                            .counter()
                            .count())
                    .isEqualTo(1);
        } finally {
            hurried.onStop(null);
        }
    }

    @Test
    void aSessionsCallsRunInTheOrderTheyWereMade() throws Exception {
        List<Integer> ran = new CopyOnWriteArrayList<>();
        CompletableFuture<?> last = null;
        for (int i = 0; i < 50; i++) {
            int index = i;
            last = database.submit("s-1", "test", connection -> ran.add(index));
        }
        last.get(5, TimeUnit.SECONDS);

        assertThat(ran).isSorted().hasSize(50);
    }

    /** Refuses {@link #connectionsRefused} connections as a database that is down does (08001), then gives them. */
    private DataSource dataSource() {
        Connection connection = (Connection) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> null);
        return (DataSource) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("getConnection")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    if (connectionsRefused.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        throw new SQLException("Connection refused", "08001");
                    }
                    return connection;
                });
    }
}
