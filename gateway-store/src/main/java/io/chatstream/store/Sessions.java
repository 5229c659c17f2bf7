package io.chatstream.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Who owns a session id: the first API key that used it, for as long as the session exists. A
 * claim is one {@code INSERT … ON CONFLICT DO NOTHING} on the primary key, so however many ingress
 * replicas race, exactly one owner wins, and every later read sees it.
 */
public final class Sessions {

    private Sessions() {}

    /** The session's owner and the generation its rows hang off. */
    public record Owner(String owner, long generation) {}

    /** Claims {@code sessionId} for {@code owner} unless someone has it: the owner after the call. */
    public static Owner claim(Connection connection, String sessionId, String owner) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into sessions (session_id, owner) values (?, ?) on conflict (session_id) do nothing"
                        + " returning generation")) {
            insert.setString(1, sessionId);
            insert.setString(2, owner);
            try (ResultSet claimed = insert.executeQuery()) {
                if (claimed.next()) {
                    return new Owner(owner, claimed.getLong(1));
                }
            }
        }
        // Lost the race, or it was there before: whoever holds it, committed (ON CONFLICT waited
        // for a concurrent claim to commit or roll back).
        return find(connection, sessionId)
                .orElseThrow(
                        () -> new SQLException("session " + sessionId + " claimed and deleted concurrently", "40001"));
    }

    /** The session's owner, if it exists. */
    public static Optional<Owner> find(Connection connection, String sessionId) throws SQLException {
        try (PreparedStatement select =
                connection.prepareStatement("select owner, generation from sessions where session_id = ?")) {
            select.setString(1, sessionId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(new Owner(row.getString(1), row.getLong(2))) : Optional.empty();
            }
        }
    }

    /**
     * Deletes the owner's session and, by cascade, its messages, Idempotency-Keys and
     * conversations.
     *
     * @return the generation deleted; empty when the session is not the owner's
     */
    public static Optional<Long> delete(Connection connection, String sessionId, String owner) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "delete from sessions where session_id = ? and owner = ? returning generation")) {
            delete.setString(1, sessionId);
            delete.setString(2, owner);
            try (ResultSet deleted = delete.executeQuery()) {
                return deleted.next() ? Optional.of(deleted.getLong(1)) : Optional.empty();
            }
        }
    }
}
