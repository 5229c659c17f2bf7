package io.chatstream.ingress.history;

import io.chatstream.contract.event.CancelCommandEvent;
import io.chatstream.contract.event.HistoryRecord;
import io.chatstream.ingress.auth.Caller;
import io.chatstream.ingress.config.IngressConfig;
import io.chatstream.ingress.kafka.RequestPublisher;
import io.chatstream.ingress.problem.ProblemException;
import io.chatstream.ingress.session.Deadline;
import io.chatstream.ingress.session.SessionOwners;
import io.chatstream.ingress.store.Database;
import io.chatstream.store.Messages;
import io.chatstream.store.Sessions;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** What a session's owner can do with its messages after sending them: read, cancel, forget. */
@ApplicationScoped
public class SessionMessages {

    private final IngressConfig config;
    private final Database database;
    private final RequestPublisher publisher;

    public SessionMessages(IngressConfig config, Database database, RequestPublisher publisher) {
        this.config = config;
        this.database = database;
        this.publisher = publisher;
    }

    public List<HistoryRecord> list(Caller caller, String sessionId) {
        return database.inTransaction(connection -> {
            return Messages.list(
                    connection,
                    SessionOwners.check(connection, sessionId, caller.owner()).generation());
        });
    }

    /**
     * Cancels a message that has not ended: 404 when unknown, 409 when it already ended. The
     * connector that holds it decides the terminal event, so a cancel that crosses the end of the
     * message never makes a second one.
     */
    public void cancel(Caller caller, String sessionId, String messageId) {
        Sessions.Session session = database.inTransaction(c -> SessionOwners.check(c, sessionId, caller.owner()));
        HistoryRecord message = database.inTransaction(connection -> Messages.get(
                        connection, session.generation(), messageId)
                .orElseThrow(() -> ProblemException.notFound(
                        "message_not_found", "No message '" + messageId + "' in session '" + sessionId + "'.")));
        if (message.ended()) {
            throw new ProblemException(
                    409, "Conflict", "message_ended", "The message already ended (" + message.status() + ").");
        }
        Deadline.in(config.kafka().sendTimeout()).await(cancelCommand(session, message));
    }

    /**
     * Forgets the session: its owner, its messages, its Idempotency-Keys and the vendor
     * conversations of every bot, in one statement (they cascade from the session). The messages
     * still running are cancelled; whatever their connectors write afterwards finds no row. Its
     * stream ends: the session-service closes its sockets and refuses its stream tokens. The id
     * used again is a new session, with a new stream.
     */
    public void forget(Caller caller, String sessionId) {
        record Deleted(Sessions.Session session, List<HistoryRecord> running) {}
        Deleted deleted = database.inTransaction(connection -> {
            Sessions.Session session = SessionOwners.check(connection, sessionId, caller.owner());
            List<HistoryRecord> running = Messages.pending(connection, session.generation());
            Sessions.delete(connection, sessionId, caller.owner());
            return new Deleted(session, running);
        });
        List<CompletableFuture<?>> sends = new ArrayList<>();
        deleted.running().forEach(message -> sends.add(cancelCommand(deleted.session(), message)));
        sends.add(publisher.sessionDeleted(deleted.session().streamKey()));
        Deadline.in(config.kafka().sendTimeout())
                .await(CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)));
    }

    private CompletableFuture<?> cancelCommand(Sessions.Session session, HistoryRecord message) {
        return publisher.cancel(
                message.provider(),
                session.streamKey(),
                new CancelCommandEvent(message.sessionId(), message.messageId(), Instant.now()));
    }
}
