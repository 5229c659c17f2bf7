package io.chatstream.provider.lingoblocks.simulator;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An Engine.IO v4 server (the transport under Socket.IO v5), as the reference {@code engine.io}
 * server speaks it: the HTTP long-polling handshake {@code GET …?EIO=4&transport=polling} answered
 * with the open packet {@code 0{"sid","upgrades","pingInterval","pingTimeout","maxPayload"}};
 * payloads of packets separated by {@code \x1e}; POSTs answered {@code ok}; the websocket upgrade
 * ({@code 2probe} / {@code 3probe}, a {@code 6} noop to release the pending poll, then {@code 5});
 * a direct websocket handshake; server pings {@code 2} and client pongs {@code 3}, the session
 * closed when a pong is late; the engine.io error bodies {@code {"code","message"}}.
 */
final class EngineIoServer {

    static final char SEPARATOR = '\u001e';
    static final int MAX_PAYLOAD = 1_000_000;

    /** What the Socket.IO layer above hears. */
    interface Listener {
        /** A {@code 4} (message) packet's data: a Socket.IO packet. */
        void onMessage(EngineIoSession session, String data);

        void onClose(EngineIoSession session, String reason);
    }

    private final Vertx vertx;
    private final Duration pingInterval;
    private final Duration pingTimeout;
    private final boolean offerUpgrade;
    private final Predicate<MultiMap> allowRequest;
    private final Listener listener;
    private final Map<String, EngineIoSession> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger upgrades = new AtomicInteger();
    private final AtomicInteger pongs = new AtomicInteger();
    private volatile boolean malformedOnUpgrade;

    /**
     * @param offerUpgrade whether the handshake offers {@code "upgrades":["websocket"]}
     * @param allowRequest checks the handshake request's headers; false answers HTTP 403 as
     *     engine.io's {@code allowRequest} does
     */
    EngineIoServer(
            Vertx vertx,
            Duration pingInterval,
            Duration pingTimeout,
            boolean offerUpgrade,
            Predicate<MultiMap> allowRequest,
            Listener listener) {
        this.vertx = vertx;
        this.pingInterval = pingInterval;
        this.pingTimeout = pingTimeout;
        this.offerUpgrade = offerUpgrade;
        this.allowRequest = allowRequest;
        this.listener = listener;
    }

    /**
     * With {@code on}, a session's upgrade probe is answered, and the poll the client holds gets an
     * Engine.IO packet of unknown type instead of the noop that lets the client upgrade: the client
     * fails while its polling transport is paused.
     */
    void malformedOnUpgrade(boolean on) {
        malformedOnUpgrade = on;
    }

    boolean malformedOnUpgrade() {
        return malformedOnUpgrade;
    }

    int openSessions() {
        return sessions.size();
    }

    /** Sessions that moved from polling to a websocket, since the start. */
    int upgrades() {
        return upgrades.get();
    }

    /** Pongs received, since the start. */
    int pongs() {
        return pongs.get();
    }

    void onUpgrade() {
        upgrades.incrementAndGet();
    }

    void onPong() {
        pongs.incrementAndGet();
    }

    void handle(HttpServerRequest request) {
        String transport = request.getParam("transport");
        String sid = request.getParam("sid");
        if (!"4".equals(request.getParam("EIO"))) {
            error(request, 400, 5, "Unsupported protocol version");
            return;
        }
        if (!"polling".equals(transport) && !"websocket".equals(transport)) {
            error(request, 400, 0, "Transport unknown");
            return;
        }
        if (sid != null && !sessions.containsKey(sid)) {
            error(request, 400, 1, "Session ID unknown");
            return;
        }
        if ("websocket".equals(transport)) {
            if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
                error(request, 400, 3, "Bad request");
            } else if (sid == null) {
                handshakeOverWebSocket(request);
            } else {
                upgrade(request, sessions.get(sid));
            }
            return;
        }
        if (sid == null) {
            if (request.method() != HttpMethod.GET) {
                error(request, 400, 2, "Bad handshake method");
            } else if (!allowRequest.test(request.headers())) {
                error(request, 403, 4, "Forbidden");
            } else {
                EngineIoSession session = open(request.headers());
                session.respond(request.response(), openPacket(session, offerUpgrade), false);
            }
            return;
        }
        EngineIoSession session = sessions.get(sid);
        if (request.method() == HttpMethod.GET) {
            session.poll(request);
        } else if (request.method() == HttpMethod.POST) {
            session.receive(request);
        } else {
            error(request, 400, 3, "Bad request");
        }
    }

    private void handshakeOverWebSocket(HttpServerRequest request) {
        if (!allowRequest.test(request.headers())) {
            error(request, 403, 4, "Forbidden");
            return;
        }
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
        request.toWebSocket().onSuccess(ws -> {
            EngineIoSession session = open(headers);
            session.attach(ws, request.connection());
            ws.writeTextMessage(openPacket(session, false));
        });
    }

    private void upgrade(HttpServerRequest request, EngineIoSession session) {
        if (session.upgraded()) {
            error(request, 400, 3, "Bad request");
            return;
        }
        request.toWebSocket().onSuccess(ws -> session.probe(ws, request.connection()));
    }

    private EngineIoSession open(MultiMap headers) {
        String sid = UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        EngineIoSession session = new EngineIoSession(vertx, sid, headers, pingInterval, pingTimeout, this);
        sessions.put(sid, session);
        session.startHeartbeat();
        return session;
    }

    private String openPacket(EngineIoSession session, boolean upgrades) {
        return "0{\"sid\":\"" + session.sid() + "\",\"upgrades\":[" + (upgrades ? "\"websocket\"" : "")
                + "],\"pingInterval\":" + pingInterval.toMillis() + ",\"pingTimeout\":" + pingTimeout.toMillis()
                + ",\"maxPayload\":" + MAX_PAYLOAD + "}";
    }

    void onMessage(EngineIoSession session, String data) {
        listener.onMessage(session, data);
    }

    void onClosed(EngineIoSession session, String reason) {
        if (sessions.remove(session.sid()) != null) {
            listener.onClose(session, reason);
        }
    }

    static void error(HttpServerRequest request, int status, int code, String message) {
        request.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end("{\"code\":" + code + ",\"message\":\"" + message + "\"}");
    }

    /** Closes every session (the simulator stops). */
    void closeAll() {
        sessions.values().forEach(s -> s.close("server shutting down"));
    }
}
