package io.chatstream.session.websocket;

import io.chatstream.contract.token.TokenRejectedException;
import io.chatstream.session.auth.StreamTokenCheck;
import io.chatstream.session.config.SessionConfig;
import io.chatstream.session.relay.SessionRelay;
import io.chatstream.session.relay.StreamStart;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.PathParam;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * {@code /v1/sessions/{sessionId}/stream}: checks the token, then registers the connection with
 * the relay, which does everything else. Server to client only; client frames are ignored.
 */
@WebSocket(path = "/v1/sessions/{sessionId}/stream")
public class SessionStreamWebSocket {

    /** A refused token: the upgrade is accepted first, because browsers cannot read an HTTP 401. */
    static final int POLICY_VIOLATION = 1008;

    private static final UserData.TypedKey<ConnectionSubscriber> SUBSCRIBER = new UserData.TypedKey<>("subscriber");

    private final SessionRelay relay;
    private final StreamTokenCheck tokens;
    private final int maxPendingFrames;
    private final Vertx vertx;

    public SessionStreamWebSocket(SessionRelay relay, StreamTokenCheck tokens, SessionConfig config, Vertx vertx) {
        this.relay = relay;
        this.tokens = tokens;
        this.maxPendingFrames = config.stream().maxPendingFrames();
        this.vertx = vertx;
    }

    // A Uni return type keeps this on the connection's event loop, whose context we capture.
    @OnOpen
    public Uni<Void> onOpen(WebSocketConnection connection, @PathParam String sessionId) {
        StreamQuery query = StreamQuery.parse(connection.handshakeRequest().query());
        try {
            tokens.verify(query.token(), sessionId);
        } catch (TokenRejectedException e) {
            return connection.close(new CloseReason(POLICY_VIOLATION, e.getMessage()));
        }
        ConnectionSubscriber subscriber = new ConnectionSubscriber(connection, context(), maxPendingFrames);
        connection.userData().put(SUBSCRIBER, subscriber);
        relay.subscribe(sessionId, StreamStart.of(query.from(), query.cursor()), subscriber);
        return Uni.createFrom().voidItem();
    }

    @OnClose
    @NonBlocking
    public void onClose(WebSocketConnection connection, @PathParam String sessionId) {
        ConnectionSubscriber subscriber = connection.userData().remove(SUBSCRIBER);
        if (subscriber != null) {
            relay.unsubscribe(sessionId, subscriber);
        }
    }

    private Context context() {
        Context current = Vertx.currentContext();
        // Any single event loop keeps the order; the connection's own saves a hop.
        return current != null ? current : vertx.getOrCreateContext();
    }
}
