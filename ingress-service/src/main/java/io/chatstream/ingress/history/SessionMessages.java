package io.chatstream.ingress.history;

import io.chatstream.contract.ConversationKey;
import io.chatstream.contract.Topics;
import io.chatstream.contract.event.CancelCommandEvent;
import io.chatstream.contract.event.HistoryRecord;
import io.chatstream.ingress.auth.Caller;
import io.chatstream.ingress.config.IngressConfig;
import io.chatstream.ingress.kafka.IngressKafka;
import io.chatstream.ingress.kafka.RequestPublisher;
import io.chatstream.ingress.problem.ProblemException;
import io.chatstream.ingress.session.Deadline;
import io.chatstream.ingress.session.SessionOwners;
import io.chatstream.runtime.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** What a session's owner can do with its messages after sending them: read, cancel, forget. */
@ApplicationScoped
public class SessionMessages {

    private final IngressConfig config;
    private final GatewayConfig gateway;
    private final IngressKafka kafka;
    private final SessionOwners owners;
    private final RequestPublisher publisher;

    public SessionMessages(
            IngressConfig config,
            GatewayConfig gateway,
            IngressKafka kafka,
            SessionOwners owners,
            RequestPublisher publisher) {
        this.config = config;
        this.gateway = gateway;
        this.kafka = kafka;
        this.owners = owners;
        this.publisher = publisher;
    }

    public List<HistoryRecord> list(Caller caller, String sessionId) {
        owners.check(sessionId, caller.owner());
        return kafka.history().messages(sessionId);
    }

    /**
     * Cancels a message that has not ended: 404 when unknown, 409 when it already ended. The
     * connector that holds it decides the terminal event, so a cancel that crosses the end of the
     * message never makes a second one.
     */
    public void cancel(Caller caller, String sessionId, String messageId) {
        owners.check(sessionId, caller.owner());
        HistoryRecord message = kafka.history()
                .get(sessionId, messageId)
                .orElseThrow(() -> ProblemException.notFound(
                        "message_not_found", "No message '" + messageId + "' in session '" + sessionId + "'."));
        if (message.ended()) {
            throw new ProblemException(
                    409, "Conflict", "message_ended", "The message already ended (" + message.status() + ").");
        }
        Deadline.in(config.kafka().sendTimeout())
                .await(publisher.cancel(
                        message.provider(), new CancelCommandEvent(sessionId, messageId, Instant.now())));
    }

    /** Forgets the session: its owner, its messages and the vendor conversations of every bot. */
    public void forget(Caller caller, String sessionId) {
        owners.check(sessionId, caller.owner());
        List<CompletableFuture<?>> deletes = new ArrayList<>();
        deletes.add(kafka.history().forget(sessionId));
        for (String bot : gateway.bots().keySet()) {
            deletes.add(publisher.tombstone(Topics.CONVERSATIONS, new ConversationKey(bot, sessionId).toString()));
        }
        deletes.add(kafka.sessions().delete(sessionId));
        Deadline.in(config.kafka().sendTimeout())
                .await(CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new)));
    }
}
