package io.chatstream.ingress.message;

import io.chatstream.contract.event.ChatRequestEvent;
import io.chatstream.contract.event.EventJson;
import io.chatstream.contract.event.HistoryRecord;
import io.chatstream.contract.event.MessageIds;
import io.chatstream.ingress.auth.Caller;
import io.chatstream.ingress.config.IngressConfig;
import io.chatstream.ingress.kafka.IdempotencyRecord;
import io.chatstream.ingress.kafka.IngressKafka;
import io.chatstream.ingress.kafka.RequestPublisher;
import io.chatstream.ingress.problem.ProblemException;
import io.chatstream.ingress.session.Deadline;
import io.chatstream.ingress.session.SessionOwners;
import io.chatstream.ingress.session.StreamLinks;
import io.chatstream.runtime.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Accepts one user message: the bot must exist, the session must be the caller's, and the request
 * is answered 202 only once Kafka has it.
 *
 * <p>Idempotency: the key is claimed first (first writer wins across replicas), then the request
 * is written. A retry with the same key writes the same request again, with the same messageId:
 * if the first attempt died between its claim and its write, the retry is what delivers it, and
 * the connector answers a messageId once however often it is written. Once the message has ended
 * (its history record says so), a retry writes nothing and gets the same answer.
 */
@ApplicationScoped
public class MessageAcceptor {

    private final IngressConfig config;
    private final GatewayConfig gateway;
    private final SessionOwners owners;
    private final IngressKafka kafka;
    private final RequestPublisher publisher;
    private final StreamLinks links;

    public MessageAcceptor(
            IngressConfig config,
            GatewayConfig gateway,
            SessionOwners owners,
            IngressKafka kafka,
            RequestPublisher publisher,
            StreamLinks links) {
        this.config = config;
        this.gateway = gateway;
        this.owners = owners;
        this.kafka = kafka;
        this.publisher = publisher;
        this.links = links;
    }

    public AcceptedMessage accept(Caller caller, String sessionId, MessageRequest request, String idempotencyKey) {
        GatewayConfig.Bot bot = gateway.bots().get(request.bot());
        if (bot == null) {
            throw ProblemException.notFound("unknown_bot", "No bot named '" + request.bot() + "'; see GET /v1/bots.");
        }
        if (!kafka.loaded()) {
            throw ProblemException.unavailable("The ingress is still loading its state from Kafka.");
        }
        Deadline deadline = Deadline.in(config.kafka().sendTimeout());
        if (caller.isApiKey()) {
            owners.claimOrCheck(sessionId, caller.owner(), deadline);
        } else {
            owners.check(sessionId, caller.owner());
        }
        Instant acceptedAt = Instant.now();
        String messageId = MessageIds.newId(acceptedAt);
        if (idempotencyKey != null) {
            IdempotencyRecord winner = claimIdempotencyKey(
                    caller,
                    sessionId,
                    idempotencyKey,
                    new IdempotencyRecord(messageId, hash(request), acceptedAt),
                    deadline);
            messageId = winner.messageId();
            acceptedAt = winner.acceptedAt();
        }
        ChatRequestEvent event = new ChatRequestEvent(
                sessionId,
                messageId,
                request.bot(),
                bot.provider(),
                request.text(),
                request.context(),
                caller.owner(),
                acceptedAt);
        // History first: the connector's record of the outcome must come after it on the topic.
        // A retry of a message that history already has leaves the record as it is; a retry of a
        // message that has ended writes nothing: it was delivered, and a connector that restarted
        // since would not know it had answered it.
        Optional<HistoryRecord> known = kafka.history().get(sessionId, messageId);
        if (known.isEmpty()) {
            deadline.await(kafka.history().pending(HistoryRecord.pending(event)));
        }
        if (known.isEmpty() || !known.get().ended()) {
            deadline.await(publisher.publish(event));
        }
        String streamToken = links.streamToken(sessionId, caller.owner());
        return new AcceptedMessage(
                sessionId, messageId, links.streamUrl(sessionId, streamToken, messageId), streamToken);
    }

    private IdempotencyRecord claimIdempotencyKey(
            Caller caller, String sessionId, String key, IdempotencyRecord mine, Deadline deadline) {
        if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw ProblemException.badRequest(
                    "invalid_idempotency_key", "Idempotency-Key must be 1 to 255 visible ASCII characters.");
        }
        String scope = sha256(caller.owner() + "\u0000" + sessionId + "\u0000" + key);
        IdempotencyRecord winner =
                IdempotencyRecord.decode(deadline.await(kafka.idempotency().write(scope, mine.encode())));
        if (!winner.bodyHash().equals(mine.bodyHash())) {
            throw new ProblemException(
                    422,
                    "Unprocessable Content",
                    "idempotency_conflict",
                    "This Idempotency-Key was already used with a different body.");
        }
        return winner;
    }

    private static String hash(MessageRequest request) {
        return sha256(new String(EventJson.encode(request), StandardCharsets.UTF_8));
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
