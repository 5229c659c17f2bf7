package io.chatstream.store;

import io.chatstream.contract.event.HistoryRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;

/**
 * A message without an Idempotency-Key recorded pending in its session in one statement, on a
 * connection in auto-commit: one round trip to the database, where claiming the session, recording
 * the message and committing in a transaction take four. Each round trip wakes a backend and the
 * caller's thread, and on busy cores each wake-up waits for a core (docs/benchmarks.md, "Again
 * with one statement per POST").
 *
 * <p>The statement reads the session as of its snapshot, so two races surface as a statement that
 * recorded nothing, and each is settled by running it again, with a newer snapshot:
 *
 * <ul>
 *   <li>another caller created the session after the snapshot was taken: the insert's {@code ON
 *       CONFLICT} waits for it and inserts nothing, and the read does not see it yet;
 *   <li>the session was deleted after the snapshot: the message fails the foreign key to its
 *       generation, and the next run claims a new session (a DELETE then a POST) or finds none.
 * </ul>
 */
public final class PendingMessages {

    /** More runs than either race takes unless a session is deleted and created in a loop. */
    private static final int RUNS = 5;

    private static final String FOREIGN_KEY_VIOLATION = "23503";

    private static final String FOUND =
            "select generation, stream_key from sessions where owner = ? and session_id = ?";

    private static final String RECORDED = ", message as ("
            + " insert into messages (message_id, session_id, generation, bot, provider, question, accepted_at)"
            + " select ?, ?, generation, ?, ?, ?, ? from session)"
            + " select generation, stream_key from session";

    private static final String CLAIM = "with existing as (" + FOUND + "), claimed as ("
            + " insert into sessions (session_id, owner) select ?, ? where not exists (select from existing)"
            + " on conflict (owner, session_id) do nothing returning generation, stream_key),"
            + " session as (select * from existing union all select * from claimed)"
            + RECORDED;

    private static final String CHECK = "with session as (" + FOUND + ")" + RECORDED;

    private PendingMessages() {}

    /**
     * Records {@code pending} in the owner's session of its id, creating the session first if
     * {@code claim}.
     *
     * @return the session; empty when it does not exist and {@code claim} is false
     */
    public static Optional<Sessions.Session> record(
            Connection connection, String owner, boolean claim, HistoryRecord pending) throws SQLException {
        if (!connection.getAutoCommit()) {
            throw new IllegalStateException("one statement is its own transaction: auto-commit must be on");
        }
        for (int run = 1; run <= RUNS; run++) {
            Optional<Sessions.Session> session;
            try {
                session = once(connection, owner, claim, pending);
            } catch (SQLException e) {
                if (!FOREIGN_KEY_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
                continue; // deleted after the snapshot
            }
            if (session.isPresent() || !claim) {
                return session;
            }
            // created by another caller after the snapshot
        }
        throw new SQLException(
                "session " + pending.sessionId() + " created or deleted concurrently " + RUNS + " times in a row",
                "40001");
    }

    private static Optional<Sessions.Session> once(
            Connection connection, String owner, boolean claim, HistoryRecord pending) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(claim ? CLAIM : CHECK)) {
            int i = 0;
            statement.setString(++i, owner);
            statement.setString(++i, pending.sessionId());
            if (claim) {
                statement.setString(++i, pending.sessionId());
                statement.setString(++i, owner);
            }
            statement.setString(++i, pending.messageId());
            statement.setString(++i, pending.sessionId());
            statement.setString(++i, pending.bot());
            statement.setString(++i, pending.provider());
            statement.setString(++i, pending.question());
            statement.setTimestamp(++i, Timestamp.from(pending.acceptedAt()));
            try (ResultSet row = statement.executeQuery()) {
                return row.next()
                        ? Optional.of(new Sessions.Session(row.getLong(1), row.getString(2)))
                        : Optional.empty();
            }
        }
    }
}
