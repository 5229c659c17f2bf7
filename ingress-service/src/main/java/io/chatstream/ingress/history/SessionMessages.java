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
            SessionOwners.check(connection, sessionId, caller.owner());
            return Messages.list(connection, sessionId);
        });
    }

    /**
     * Cancels a message that has not ended: 404 when unknown, 409 when it already ended. The
     * connector that holds it decides the terminal event, so a cancel that crosses the end of the
     * message never makes a second one.
     */
    public void cancel(Caller caller, String sessionId, String messageId) {
        HistoryRecord message = database.inTransaction(connection -> {
            SessionOwners.check(connection, sessionId, caller.owner());
            return Messages.get(connection, sessionId, messageId)
                    .orElseThrow(() -> ProblemException.notFound(
                            "message_not_found", "No message '" + messageId + "' in session '" + sessionId + "'."));
        });
        if (message.ended()) {
            throw new ProblemException(
                    409, "Conflict", "message_ended", "The message already ended (" + message.status() + ").");
        }
        Deadline.in(config.kafka().sendTimeout()).await(cancelCommand(message));
    }

    /**
     * Forgets the session: its owner, its messages, its Idempotency-Keys and the vendor
     * conversations of every bot, in one statement (they cascade from the session). The messages
     * still running are cancelled; whatever their connectors write afterwards finds no row.
     */
    public void forget(Caller caller, String sessionId) {
        List<HistoryRecord> running = database.inTransaction(connection -> {
            List<HistoryRecord> pending = Messages.pending(connection, sessionId);
            if (Sessions.delete(connection, sessionId, caller.owner()).isEmpty()) {
                throw SessionOwners.notFound(sessionId);
            }
            return pending;
        });
        Deadline.in(config.kafka().sendTimeout())
                .await(CompletableFuture.allOf(
                        running.stream().map(this::cancelCommand).toArray(CompletableFuture[]::new)));
    }

    private CompletableFuture<?> cancelCommand(HistoryRecord message) {
        return publisher.cancel(
                message.provider(), new CancelCommandEvent(message.sessionId(), message.messageId(), Instant.now()));
    }
}
