package io.chatstream.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The vendor conversation of each (session of one API key, bot), as JSON. Both calls go through the message being
 * answered: a conversation is read and written only for the generation of the session that
 * message belongs to, so a message of a deleted session neither sees nor leaves anything.
 */
public final class Conversations {

    private Conversations() {}

    /** The conversation the message continues, if its session has one with this bot. */
    public static Optional<String> get(Connection connection, String bot, String sessionId, String messageId)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "select c.state::text from conversations c join messages m on m.generation = c.generation"
                        + " where m.message_id = ? and m.session_id = ? and c.bot = ?")) {
            select.setString(1, messageId);
            select.setString(2, sessionId);
            select.setString(3, bot);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * Saves the conversation after the message, in the message's generation of the session. Does
     * nothing when the message is gone (its session was deleted); a delete that commits while this
     * runs makes the insert fail its foreign key, which is the same outcome.
     *
     * @return whether it was saved
     */
    public static boolean save(Connection connection, String bot, String sessionId, String messageId, String state)
            throws SQLException {
        try (PreparedStatement upsert =
                connection.prepareStatement("insert into conversations (session_id, bot, generation, state)"
                        + " select m.session_id, ?, m.generation, ?::jsonb from messages m"
                        + " where m.message_id = ? and m.session_id = ?"
                        + " on conflict (generation, bot) do update set state = excluded.state, updated_at = now()")) {
            upsert.setString(1, bot);
            upsert.setString(2, state);
            upsert.setString(3, messageId);
            upsert.setString(4, sessionId);
            return upsert.executeUpdate() == 1;
        } catch (SQLException e) {
            if ("23503".equals(e.getSQLState())) {
                // foreign_key_violation: the session was deleted under us.
                return false;
            }
            throw e;
        }
    }
}
