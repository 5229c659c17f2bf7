package io.chatstream.session.websocket;

import io.chatstream.contract.stream.CloseCodes;
import io.chatstream.contract.token.TokenRejectedException;
import io.chatstream.session.auth.StreamTokenCheck;
import io.chatstream.session.config.SessionConfig;
import io.chatstream.session.metrics.SessionMetrics;
import io.chatstream.session.relay.SessionRelay;
import io.chatstream.session.relay.StreamStart;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.PathParam;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * {@code /v1/sessions/{sessionId}/stream}: checks the token and the instance's connection limit,
 * then registers the connection with the relay, which does everything else. Server to client
 * only; what the client sends (pongs included) only proves that it is alive.
 */
@WebSocket(path = "/v1/sessions/{sessionId}/stream")
public class SessionStreamWebSocket {

    static final UserData.TypedKey<ConnectionSubscriber> SUBSCRIBER = new UserData.TypedKey<>("subscriber");
    /** The stream key the token grants: what the connection reads. */
    static final UserData.TypedKey<String> STREAM_KEY = new UserData.TypedKey<>("stream-key");

    private final SessionRelay relay;
    private final StreamTokenCheck tokens;
    private final ConnectionLimit limit;
    private final SessionConfig config;
    private final SessionMetrics metrics;
    private final Vertx vertx;

    public SessionStreamWebSocket(
            SessionRelay relay,
            StreamTokenCheck tokens,
            ConnectionLimit limit,
            SessionConfig config,
            SessionMetrics metrics,
            Vertx vertx) {
        this.relay = relay;
        this.tokens = tokens;
        this.limit = limit;
        this.config = config;
        this.metrics = metrics;
        this.vertx = vertx;
    }

    // A Uni return type keeps this on the connection's event loop, whose context we capture.
    @OnOpen
    public Uni<Void> onOpen(WebSocketConnection connection, @PathParam String sessionId) {
        StreamQuery query = StreamQuery.parse(connection.handshakeRequest().query());
        String streamKey;
        try {
            streamKey = tokens.verify(query.token(), sessionId);
        } catch (TokenRejectedException e) {
            return connection.close(new CloseReason(CloseCodes.POLICY_VIOLATION, e.getMessage()));
        }
        if (!limit.tryAcquire()) {
            return connection.close(new CloseReason(CloseCodes.TOO_MANY_CONNECTIONS, "too many connections"));
        }
        OutboundQueue queue = new OutboundQueue(
                config.mergeAfterFrames(),
                config.maxPendingFrames(),
                config.maxPendingBytes().asLongValue(),
                metrics);
        ConnectionSubscriber subscriber = new ConnectionSubscriber(connection, context(), queue, metrics);
        connection.userData().put(SUBSCRIBER, subscriber);
        connection.userData().put(STREAM_KEY, streamKey);
        relay.subscribe(streamKey, StreamStart.of(query.from(), query.cursor()), subscriber);
        return Uni.createFrom().voidItem();
    }

    @OnPongMessage
    @NonBlocking
    public void onPong(WebSocketConnection connection, Buffer data) {
        heard(connection);
    }

    @OnTextMessage
    @NonBlocking
    public void onText(WebSocketConnection connection, String ignored) {
        heard(connection);
    }

    @OnClose
    @NonBlocking
    public void onClose(WebSocketConnection connection) {
        ConnectionSubscriber subscriber = connection.userData().remove(SUBSCRIBER);
        if (subscriber != null) {
            relay.unsubscribe(connection.userData().get(STREAM_KEY), subscriber);
            limit.release();
        }
    }

    private static void heard(WebSocketConnection connection) {
        ConnectionSubscriber subscriber = connection.userData().get(SUBSCRIBER);
        if (subscriber != null) {
            subscriber.heard();
        }
    }

    private Context context() {
        Context current = Vertx.currentContext();
        // Any single event loop keeps the order; the connection's own saves a hop.
        return current != null ? current : vertx.getOrCreateContext();
    }
}
