package io.chatstream.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * The message each {@code Idempotency-Key} made, first writer wins: concurrent POSTs with one key,
 * through any replicas, get one messageId.
 */
public final class IdempotencyKeys {

    private IdempotencyKeys() {}

    /** What a key remembers: the message it made and a hash of the body that made it. */
    public record KeyedMessage(String messageId, String bodyHash, Instant acceptedAt) {}

    /** Claims {@code scope} for {@code mine} unless it is taken: the key's message after the call. */
    public static KeyedMessage claim(Connection connection, String scope, long generation, KeyedMessage mine)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into idempotency_keys (scope, generation, message_id, body_hash, accepted_at)"
                        + " values (?, ?, ?, ?, ?) on conflict (scope) do nothing")) {
            insert.setString(1, scope);
            insert.setLong(2, generation);
            insert.setString(3, mine.messageId());
            insert.setString(4, mine.bodyHash());
            insert.setTimestamp(5, Timestamp.from(mine.acceptedAt()));
            if (insert.executeUpdate() == 1) {
                return mine;
            }
        }
        try (PreparedStatement select = connection.prepareStatement(
                "select message_id, body_hash, accepted_at from idempotency_keys where scope = ?")) {
            select.setString(1, scope);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new SQLException("idempotency key claimed and swept concurrently", "40001");
                }
                return new KeyedMessage(
                        row.getString(1), row.getString(2), row.getTimestamp(3).toInstant());
            }
        }
    }
}
