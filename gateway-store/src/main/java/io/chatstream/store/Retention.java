package io.chatstream.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

/**
 * Forgets what is older than its retention: messages (history) and Idempotency-Keys. Deletes in
 * small batches so that a sweep never holds many row locks or one long transaction; run from any
 * replica, any number of times, concurrently (a row deleted twice is deleted once).
 */
public final class Retention {

    static final int BATCH = 1000;

    private Retention() {}

    /** @return the messages deleted (at most one batch) */
    public static int sweepMessages(Connection connection, Duration keep, Instant now) throws SQLException {
        return sweep(connection, "messages", "message_id", keep, now);
    }

    /** @return the Idempotency-Keys deleted (at most one batch) */
    public static int sweepIdempotencyKeys(Connection connection, Duration keep, Instant now) throws SQLException {
        return sweep(connection, "idempotency_keys", "scope", keep, now);
    }

    private static int sweep(Connection connection, String table, String key, Duration keep, Instant now)
            throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("delete from " + table + " where " + key
                + " in (select " + key + " from " + table + " where accepted_at < ? limit " + BATCH
                + " for update skip locked)")) {
            delete.setTimestamp(1, Timestamp.from(now.minus(keep)));
            return delete.executeUpdate();
        }
    }
}
