package io.chatstream.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.contract.event.HistoryRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The one-statement path of a message, and the two races its snapshot loses, each made to happen:
 * the other transaction holds its change uncommitted until the statement waits on it.
 */
class PendingMessagesTest {

    @Test
    void aFirstMessageClaimsTheSessionAndALaterOneJoinsIt() throws Exception {
        String session = "s-" + UUID.randomUUID();
        try (Connection connection = TestDatabase.connect()) {
            HistoryRecord first = MessagesTest.pending(session, "m-1");
            HistoryRecord second = MessagesTest.pending(session, "m-2");
            Sessions.Session claimed =
                    PendingMessages.record(connection, "k-a", true, first).orElseThrow();
            Optional<Sessions.Session> joined = PendingMessages.record(connection, "k-a", true, second);

            assertThat(joined).contains(claimed);
            assertThat(Sessions.find(connection, session, "k-a")).contains(claimed);
            assertThat(Messages.list(connection, claimed.generation())).containsExactly(first, second);
        }
    }

    @Test
    void withoutClaimingAMessageGoesNowhereWhenTheKeyHasNoSessionOfTheId() throws Exception {
        String session = "s-" + UUID.randomUUID();
        try (Connection connection = TestDatabase.connect()) {
            Sessions.Session others = Sessions.claim(connection, session, "k-b");

            assertThat(PendingMessages.record(connection, "k-a", false, MessagesTest.pending(session, "m-1")))
                    .isEmpty();
            assertThat(Sessions.find(connection, session, "k-a")).isEmpty();
            assertThat(Messages.list(connection, others.generation())).isEmpty();
        }
    }

    @Test
    void aSessionCreatedAfterTheStatementsSnapshotIsFoundOnTheNextRun() throws Exception {
        String session = "s-" + UUID.randomUUID();
        HistoryRecord message = MessagesTest.pending(session, "m-1");
        try (Connection creator = TestDatabase.connect();
                Connection poster = TestDatabase.connect()) {
            creator.setAutoCommit(false);
            Sessions.Session created = Sessions.claim(creator, session, "k-a");
            CompletableFuture<Optional<Sessions.Session>> posted = recordOnceBlocked(poster, message);
            creator.commit();

            assertThat(posted.get(30, TimeUnit.SECONDS)).contains(created);
            assertThat(Messages.list(poster, created.generation())).containsExactly(message);
        }
    }

    @Test
    void aSessionDeletedAfterTheStatementsSnapshotGivesWayToANewOne() throws Exception {
        String session = "s-" + UUID.randomUUID();
        HistoryRecord message = MessagesTest.pending(session, "m-2");
        try (Connection deleter = TestDatabase.connect();
                Connection poster = TestDatabase.connect()) {
            Sessions.Session deleted = Sessions.claim(deleter, session, "k-a");
            deleter.setAutoCommit(false);
            Sessions.delete(deleter, session, "k-a");
            CompletableFuture<Optional<Sessions.Session>> posted = recordOnceBlocked(poster, message);
            deleter.commit();

            Sessions.Session next = posted.get(30, TimeUnit.SECONDS).orElseThrow();
            assertThat(next.generation()).isNotEqualTo(deleted.generation());
            assertThat(next.streamKey()).isNotEqualTo(deleted.streamKey());
            assertThat(Messages.list(poster, next.generation())).containsExactly(message);
            assertThat(Messages.list(poster, deleted.generation())).isEmpty();
        }
    }

    /** Records on {@code poster} in another thread, returning once that statement waits on a lock. */
    private static CompletableFuture<Optional<Sessions.Session>> recordOnceBlocked(
            Connection poster, HistoryRecord message) throws Exception {
        int pid = backendPid(poster);
        CompletableFuture<Optional<Sessions.Session>> posted = CompletableFuture.supplyAsync(() -> {
            try {
                return PendingMessages.record(poster, "k-a", true, message);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        try (Connection observer = TestDatabase.connect();
                PreparedStatement waiting = observer.prepareStatement(
                        "select count(*) from pg_stat_activity where pid = ? and wait_event_type = 'Lock'")) {
            waiting.setInt(1, pid);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                try (ResultSet row = waiting.executeQuery()) {
                    row.next();
                    if (row.getInt(1) == 1) {
                        return posted;
                    }
                }
                Thread.sleep(10);
            }
        }
        throw new AssertionError("the statement never waited for the other transaction");
    }

    private static int backendPid(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("select pg_backend_pid()");
                ResultSet row = select.executeQuery()) {
            row.next();
            return row.getInt(1);
        }
    }
}
