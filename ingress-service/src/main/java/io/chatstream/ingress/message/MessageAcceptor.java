package io.chatstream.ingress.message;

import io.chatstream.contract.event.ChatRequestEvent;
import io.chatstream.contract.event.EventJson;
import io.chatstream.contract.event.HistoryRecord;
import io.chatstream.contract.event.MessageIds;
import io.chatstream.ingress.auth.Caller;
import io.chatstream.ingress.config.IngressConfig;
import io.chatstream.ingress.kafka.RequestPublisher;
import io.chatstream.ingress.problem.ProblemException;
import io.chatstream.ingress.session.Deadline;
import io.chatstream.ingress.session.SessionOwners;
import io.chatstream.ingress.session.StreamLinks;
import io.chatstream.ingress.store.Database;
import io.chatstream.runtime.config.GatewayConfig;
import io.chatstream.store.IdempotencyKeys;
import io.chatstream.store.IdempotencyKeys.KeyedMessage;
import io.chatstream.store.Messages;
import io.chatstream.store.PendingMessages;
import io.chatstream.store.Sessions;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Accepts one user message: the bot must exist, the session must be the caller's, and the request
 * is answered 202 only once the database and Kafka have it.
 *
 * <p>The database first, then Kafka. Without an Idempotency-Key (the common case) one statement
 * claims the session (or checks it) and records the message pending. With one, a transaction
 * claims the session, claims the key (first writer wins: concurrent POSTs with one key get one
 * messageId) and records the message pending. A retry with the same key writes the same request again, with the
 * same messageId: if the first attempt died between its commit and Kafka, the retry is what
 * delivers it, and the connector answers a messageId once however often it is written. Once the
 * message has ended, a retry writes nothing and gets the same answer.
 */
@ApplicationScoped
public class MessageAcceptor {

    private static final Logger LOG = Logger.getLogger(MessageAcceptor.class);

    private final IngressConfig config;
    private final GatewayConfig gateway;
    private final Database database;
    private final RequestPublisher publisher;
    private final StreamLinks links;

    public MessageAcceptor(
            IngressConfig config,
            GatewayConfig gateway,
            Database database,
            RequestPublisher publisher,
            StreamLinks links) {
        this.config = config;
        this.gateway = gateway;
        this.database = database;
        this.publisher = publisher;
        this.links = links;
    }

    /** What the transaction decided: the request to publish, and whether it already ended. */
    private record Recorded(ChatRequestEvent request, boolean ended) {}

    public AcceptedMessage accept(Caller caller, String sessionId, MessageRequest request, String idempotencyKey) {
        GatewayConfig.Bot bot = gateway.bots().get(request.bot());
        if (bot == null) {
            throw ProblemException.notFound("unknown_bot", "No bot named '" + request.bot() + "'; see GET /v1/bots.");
        }
        String scope = idempotencyKey == null ? null : idempotencyScope(caller, sessionId, idempotencyKey);
        Instant now = Instant.now();
        KeyedMessage mine = new KeyedMessage(MessageIds.newId(now), hash(request), now);
        Recorded recorded = scope == null
                ? new Recorded(recordPending(caller, sessionId, request, bot, mine), false)
                : recordKeyed(caller, sessionId, request, bot, mine, scope);
        if (!recorded.ended()) {
            try {
                Deadline.in(config.kafka().sendTimeout()).await(publisher.publish(recorded.request()));
            } catch (ProblemException refused) {
                forgetUnpublished(recorded.request());
                throw refused;
            }
        }
        String messageId = recorded.request().messageId();
        String streamToken =
                links.streamToken(sessionId, caller.owner(), recorded.request().streamKey());
        return new AcceptedMessage(
                sessionId, messageId, links.streamUrl(sessionId, streamToken, messageId), streamToken);
    }

    /** With an Idempotency-Key: one transaction, the key claimed first writer wins. */
    private Recorded recordKeyed(
            Caller caller,
            String sessionId,
            MessageRequest request,
            GatewayConfig.Bot bot,
            KeyedMessage mine,
            String scope) {
        return database.inTransaction(connection -> {
            Sessions.Session session = caller.isApiKey()
                    ? SessionOwners.claimOrCheck(connection, sessionId, caller.owner())
                    : SessionOwners.check(connection, sessionId, caller.owner());
            KeyedMessage message = IdempotencyKeys.claim(connection, scope, session.generation(), mine);
            if (!message.bodyHash().equals(mine.bodyHash())) {
                throw new ProblemException(
                        422,
                        "Unprocessable Content",
                        "idempotency_conflict",
                        "This Idempotency-Key was already used with a different body.");
            }
            ChatRequestEvent event = event(caller, sessionId, request, bot, message, session.streamKey());
            if (message != mine) {
                // A retry: the message may have ended since, and then nothing is sent again.
                Optional<HistoryRecord> known = Messages.get(connection, session.generation(), message.messageId());
                if (known.isPresent()) {
                    return new Recorded(event, known.get().ended());
                }
            }
            Messages.insertPending(connection, HistoryRecord.pending(event), session.generation());
            return new Recorded(event, false);
        });
    }

    /** Without an Idempotency-Key, the common case: one statement (gateway-store PendingMessages). */
    private ChatRequestEvent recordPending(
            Caller caller, String sessionId, MessageRequest request, GatewayConfig.Bot bot, KeyedMessage mine) {
        return database.autoCommitted(connection -> {
            // The history row has no stream key: the session's is known once the statement ran.
            HistoryRecord pending = HistoryRecord.pending(event(caller, sessionId, request, bot, mine, null));
            Sessions.Session session = PendingMessages.record(connection, caller.owner(), caller.isApiKey(), pending)
                    .orElseThrow(() -> SessionOwners.notFound(sessionId));
            return event(caller, sessionId, request, bot, mine, session.streamKey());
        });
    }

    private static ChatRequestEvent event(
            Caller caller,
            String sessionId,
            MessageRequest request,
            GatewayConfig.Bot bot,
            KeyedMessage message,
            String streamKey) {
        return new ChatRequestEvent(
                sessionId,
                message.messageId(),
                request.bot(),
                bot.provider(),
                request.text(),
                request.context(),
                caller.owner(),
                message.acceptedAt(),
                streamKey);
    }

    /**
     * The client is told 503: its message leaves history again (a retry with its Idempotency-Key
     * records it anew, with the same messageId). Should Kafka have taken the request after all (a
     * late acknowledgement), it is answered and only its history row is missing.
     */
    private void forgetUnpublished(ChatRequestEvent request) {
        try {
            database.inTransaction(connection -> {
                Messages.deletePending(connection, request.sessionId(), request.messageId());
                return null;
            });
        } catch (ProblemException e) {
            LOG.warnf("message %s was refused but stays pending in history: %s", request.messageId(), e.getMessage());
        }
    }

    private static String idempotencyScope(Caller caller, String sessionId, String key) {
        if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw ProblemException.badRequest(
                    "invalid_idempotency_key", "Idempotency-Key must be 1 to 255 visible ASCII characters.");
        }
        return sha256(caller.owner() + "\u0000" + sessionId + "\u0000" + key);
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
