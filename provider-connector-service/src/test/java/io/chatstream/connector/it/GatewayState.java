package io.chatstream.connector.it;

import io.chatstream.contract.event.ChatRequestEvent;
import io.chatstream.contract.event.HistoryRecord;
import io.chatstream.localpostgres.LocalPostgres;
import io.chatstream.localpostgres.PostgresTestResource;
import io.chatstream.store.Conversations;
import io.chatstream.store.Messages;
import io.chatstream.store.Sessions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * The gateway's state in the tests' PostgreSQL (the one the service uses), written as the ingress
 * writes it before it publishes a request, and read back with an independent connection.
 */
final class GatewayState {

    /** The owner the tests' sessions are claimed for. */
    static final String OWNER = "k-test";

    private GatewayState() {}

    /** Claims the request's session (once) and records its message {@code pending}, as the ingress does. */
    static long accepted(ChatRequestEvent request) {
        return call(connection -> {
            long generation =
                    Sessions.claim(connection, request.sessionId(), OWNER).generation();
            Messages.insertPending(connection, HistoryRecord.pending(request), generation);
            return generation;
        });
    }

    /** Deletes the session and, by cascade, its messages and conversations. */
    static void deleteSession(String sessionId) {
        call(connection -> Sessions.delete(connection, sessionId, OWNER));
    }

    static long claim(String sessionId) {
        return call(connection -> Sessions.claim(connection, sessionId, OWNER).generation());
    }

    static Optional<HistoryRecord> message(String sessionId, String messageId) {
        return call(connection -> {
            Optional<Sessions.Session> session = Sessions.find(connection, sessionId, OWNER);
            return session.isEmpty()
                    ? Optional.empty()
                    : Messages.get(connection, session.get().generation(), messageId);
        });
    }

    /** The conversation a next message of the session would continue, through that message. */
    static Optional<String> conversationFor(String bot, String sessionId, String messageId) {
        return call(connection -> Conversations.get(connection, bot, sessionId, messageId));
    }

    /** Whether the session has a conversation row with the bot, of whatever generation. */
    static boolean anyConversation(String bot, String sessionId) {
        return call(connection -> {
            try (PreparedStatement select =
                    connection.prepareStatement("select 1 from conversations where session_id = ? and bot = ?")) {
                select.setString(1, sessionId);
                select.setString(2, bot);
                try (ResultSet row = select.executeQuery()) {
                    return row.next();
                }
            }
        });
    }

    /**
     * Holds the {@code messages} table in SHARE mode until closed: reads go on (conversation loads),
     * every write of a message's outcome waits, as behind a database that stopped writing.
     */
    static AutoCloseable writesHeld() throws SQLException {
        Connection connection = connect();
        connection.setAutoCommit(false);
        try (var statement = connection.createStatement()) {
            statement.execute("lock table messages in share mode");
        }
        return () -> {
            try (connection) {
                connection.commit();
            }
        };
    }

    private interface Call<T> {
        T run(Connection connection) throws SQLException;
    }

    private static <T> T call(Call<T> call) {
        try (Connection connection = connect()) {
            return call.run(connection);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection connect() throws SQLException {
        LocalPostgres postgres = PostgresTestResource.server();
        Properties credentials = new Properties();
        credentials.setProperty("user", postgres.username());
        credentials.setProperty("password", postgres.password());
        // Straight through the driver: DriverManager may not see it from the test's class loader.
        return new Driver().connect(postgres.jdbcUrl(), credentials);
    }
}
