package io.chatstream.ingress.session;

import io.chatstream.ingress.problem.ProblemException;
import io.chatstream.store.Sessions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A session belongs to the API key that first used it; to every other key it does not exist (the
 * same 404 as an unknown session). Statements for a transaction the caller holds.
 */
public final class SessionOwners {

    private SessionOwners() {}

    /** Claims {@code sessionId} for {@code owner} if nobody has it yet, else checks it is theirs. */
    public static Sessions.Owner claimOrCheck(Connection connection, String sessionId, String owner)
            throws SQLException {
        return owned(Optional.of(Sessions.claim(connection, sessionId, owner)), sessionId, owner);
    }

    /** Only checks: the session must exist and be the owner's. */
    public static Sessions.Owner check(Connection connection, String sessionId, String owner) throws SQLException {
        return owned(Sessions.find(connection, sessionId), sessionId, owner);
    }

    private static Sessions.Owner owned(Optional<Sessions.Owner> found, String sessionId, String owner) {
        return found.filter(o -> o.owner().equals(owner)).orElseThrow(() -> notFound(sessionId));
    }

    public static ProblemException notFound(String sessionId) {
        return ProblemException.notFound("session_not_found", "No session '" + sessionId + "' for this API key.");
    }
}
