package io.chatstream.ingress.session;

import io.chatstream.ingress.kafka.IngressKafka;
import io.chatstream.ingress.kafka.SessionOwnerRecord;
import io.chatstream.ingress.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** A session belongs to the API key that first used it; to every other key it does not exist. */
@ApplicationScoped
public class SessionOwners {

    private final IngressKafka kafka;

    public SessionOwners(IngressKafka kafka) {
        this.kafka = kafka;
    }

    /**
     * Claims {@code sessionId} for {@code owner} if nobody has it yet, else checks it is theirs.
     *
     * @throws ProblemException 404 when another key owns it (the same answer as an unknown session,
     *     so that session ids of other keys cannot be probed)
     */
    public void claimOrCheck(String sessionId, String owner, Deadline deadline) {
        byte[] winner = deadline.await(
                kafka.sessions().write(sessionId, new SessionOwnerRecord(owner, Instant.now()).encode()));
        if (!SessionOwnerRecord.decode(winner).owner().equals(owner)) {
            throw ProblemException.notFound("session_not_found", "No session '" + sessionId + "' for this API key.");
        }
    }

    /** Only checks: the session must exist and be the owner's. */
    public void check(String sessionId, String owner) {
        boolean owned = kafka.sessions()
                .get(sessionId)
                .map(SessionOwnerRecord::decode)
                .map(record -> record.owner().equals(owner))
                .orElse(false);
        if (!owned) {
            throw ProblemException.notFound("session_not_found", "No session '" + sessionId + "' for this API key.");
        }
    }
}
