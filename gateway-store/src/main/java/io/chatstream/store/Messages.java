package io.chatstream.store;

import io.chatstream.contract.event.ErrorInfo;
import io.chatstream.contract.event.EventJson;
import io.chatstream.contract.event.HistoryRecord;
import io.chatstream.contract.event.Usage;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A session's messages as history keeps them: written {@code pending} in the transaction that
 * accepts the message (so a GET right after the 202 sees it), ended once by whichever writer gets
 * there first.
 */
public final class Messages {

    private static final String COLUMNS = "session_id, message_id, bot, provider, question, status, answer,"
            + " usage::text, error::text, accepted_at, ended_at";

    private Messages() {}

    /** Records a message as pending, unless it is there already (a retry with its Idempotency-Key). */
    public static void insertPending(Connection connection, HistoryRecord pending, long generation)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into messages (message_id, session_id, generation, bot, provider, question, accepted_at)"
                        + " values (?, ?, ?, ?, ?, ?, ?) on conflict (message_id) do nothing")) {
            insert.setString(1, pending.messageId());
            insert.setString(2, pending.sessionId());
            insert.setLong(3, generation);
            insert.setString(4, pending.bot());
            insert.setString(5, pending.provider());
            insert.setString(6, pending.question());
            insert.setTimestamp(7, Timestamp.from(pending.acceptedAt()));
            insert.executeUpdate();
        }
    }

    /** A message of the session's generation (of one API key's session: another key's is not found). */
    public static Optional<HistoryRecord> get(Connection connection, long generation, String messageId)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "select " + COLUMNS + " from messages where generation = ? and message_id = ?")) {
            select.setLong(1, generation);
            select.setString(2, messageId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(read(row)) : Optional.empty();
            }
        }
    }

    /** The session's messages, oldest first. */
    public static List<HistoryRecord> list(Connection connection, long generation) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "select " + COLUMNS + " from messages where generation = ? order by message_id")) {
            select.setLong(1, generation);
            List<HistoryRecord> records = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    records.add(read(row));
                }
            }
            return records;
        }
    }

    /**
     * Forgets a message that never reached Kafka (the client was told 503), unless it has an
     * outcome already: history shows what was accepted, not what was refused.
     */
    public static void deletePending(Connection connection, String sessionId, String messageId) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "delete from messages where session_id = ? and message_id = ? and status = 'pending'")) {
            delete.setString(1, sessionId);
            delete.setString(2, messageId);
            delete.executeUpdate();
        }
    }

    /** The session's messages that have not ended: what a DELETE must cancel. */
    public static List<HistoryRecord> pending(Connection connection, long generation) throws SQLException {
        return list(connection, generation).stream().filter(r -> !r.ended()).toList();
    }

    /**
     * Records the outcome of a message, if it is still pending: the first terminal wins, a second
     * writer (a connector that lost the message in a rebalance) changes nothing, and a message
     * whose session was deleted is not brought back.
     *
     * @return whether this call ended it
     */
    public static boolean end(Connection connection, HistoryRecord ended) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "update messages set status = ?, answer = ?, usage = ?::jsonb, error = ?::jsonb, ended_at = ?"
                        + " where message_id = ? and session_id = ? and status = 'pending'")) {
            update.setString(1, ended.status());
            update.setString(2, ended.answer());
            setJson(update, 3, ended.usage());
            setJson(update, 4, ended.error());
            update.setTimestamp(5, Timestamp.from(ended.endedAt() == null ? Instant.now() : ended.endedAt()));
            update.setString(6, ended.messageId());
            update.setString(7, ended.sessionId());
            return update.executeUpdate() == 1;
        }
    }

    private static void setJson(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, new String(EventJson.encode(value), StandardCharsets.UTF_8));
        }
    }

    private static HistoryRecord read(ResultSet row) throws SQLException {
        String usage = row.getString(8);
        String error = row.getString(9);
        Timestamp endedAt = row.getTimestamp(11);
        return new HistoryRecord(
                row.getString(1),
                row.getString(2),
                row.getString(3),
                row.getString(4),
                row.getString(5),
                row.getString(6),
                row.getString(7),
                usage == null ? null : EventJson.decode(usage.getBytes(StandardCharsets.UTF_8), Usage.class),
                error == null ? null : EventJson.decode(error.getBytes(StandardCharsets.UTF_8), ErrorInfo.class),
                row.getTimestamp(10).toInstant(),
                endedAt == null ? null : endedAt.toInstant());
    }
}
