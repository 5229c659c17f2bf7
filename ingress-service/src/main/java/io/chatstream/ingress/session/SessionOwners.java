package io.chatstream.ingress.session;

import io.chatstream.ingress.problem.ProblemException;
import io.chatstream.store.Sessions;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A caller's sessions. Ids are scoped by API key: a key that uses an id gets its own session of
 * that id, whoever else uses the same id, so no answer depends on another key's sessions (a 404
 * means "you have no such session", nothing more). Statements for a transaction the caller holds.
 */
public final class SessionOwners {

    private SessionOwners() {}

    /** The owner's session of this id, created if it does not exist yet. */
    public static Sessions.Session claimOrCheck(Connection connection, String sessionId, String owner)
            throws SQLException {
        return Sessions.claim(connection, sessionId, owner);
    }

    /** The owner's session of this id; 404 when it has none. */
    public static Sessions.Session check(Connection connection, String sessionId, String owner) throws SQLException {
        return Sessions.find(connection, sessionId, owner).orElseThrow(() -> notFound(sessionId));
    }

    public static ProblemException notFound(String sessionId) {
        return ProblemException.notFound("session_not_found", "No session '" + sessionId + "' for this API key.");
    }
}
