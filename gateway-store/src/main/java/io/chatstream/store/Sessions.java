package io.chatstream.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The sessions of each API key. An id is scoped by its key: the same id under two keys is two
 * sessions, each with its own generation (what its rows hang off) and stream key (what its Kafka
 * records are keyed by). Using an id is one {@code INSERT … ON CONFLICT DO NOTHING} on (owner,
 * id), so however many ingress replicas race, one session results, and every later read sees it.
 */
public final class Sessions {

    private Sessions() {}

    /**
     * One API key's session.
     *
     * @param generation what the session's rows hang off: new each time the id is used after a delete
     * @param streamKey the key of the session's Kafka records and what its stream tokens read
     */
    public record Session(long generation, String streamKey) {}

    /** The owner's session of this id, created if it does not exist. */
    public static Session claim(Connection connection, String sessionId, String owner) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into sessions (session_id, owner) values (?, ?) on conflict (owner, session_id) do nothing"
                        + " returning generation, stream_key")) {
            insert.setString(1, sessionId);
            insert.setString(2, owner);
            try (ResultSet claimed = insert.executeQuery()) {
                if (claimed.next()) {
                    return new Session(claimed.getLong(1), claimed.getString(2));
                }
            }
        }
        // It was there before, or a concurrent request created it: committed (ON CONFLICT waited
        // for the other insert to commit or roll back).
        return find(connection, sessionId, owner)
                .orElseThrow(
                        () -> new SQLException("session " + sessionId + " created and deleted concurrently", "40001"));
    }

    /** The owner's session of this id, if it exists. */
    public static Optional<Session> find(Connection connection, String sessionId, String owner) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "select generation, stream_key from sessions where owner = ? and session_id = ?")) {
            select.setString(1, owner);
            select.setString(2, sessionId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(new Session(row.getLong(1), row.getString(2))) : Optional.empty();
            }
        }
    }

    /**
     * Deletes the owner's session and, by cascade, its messages, Idempotency-Keys and
     * conversations.
     *
     * @return the session deleted; empty when the owner has no session of this id
     */
    public static Optional<Session> delete(Connection connection, String sessionId, String owner) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "delete from sessions where session_id = ? and owner = ? returning generation, stream_key")) {
            delete.setString(1, sessionId);
            delete.setString(2, owner);
            try (ResultSet deleted = delete.executeQuery()) {
                return deleted.next()
                        ? Optional.of(new Session(deleted.getLong(1), deleted.getString(2)))
                        : Optional.empty();
            }
        }
    }
}
