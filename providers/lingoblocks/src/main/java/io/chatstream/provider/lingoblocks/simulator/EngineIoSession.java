package io.chatstream.provider.lingoblocks.simulator;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.impl.WebSocketInternal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One Engine.IO session: its packets queued until a transport can take them (the pending
 * long-poll, or the websocket once upgraded), its heartbeat, and its end. Runs on the server's
 * event loop.
 */
final class EngineIoSession {

    private record Outgoing(String packet, boolean split) {}

    /** An Engine.IO packet of unknown type. */
    static final String MALFORMED = "x2[\"message\"]";

    private final Vertx vertx;
    private final String sid;
    private final MultiMap headers;
    private final Duration pingInterval;
    private final Duration pingTimeout;
    private final EngineIoServer server;

    private final Deque<Outgoing> queue = new ArrayDeque<>();
    private HttpServerResponse pendingPoll;
    private ServerWebSocket ws;
    private HttpConnection wsConnection;
    /** A websocket being probed for the upgrade, and its connection. */
    private ServerWebSocket probe;

    private HttpConnection probeConnection;
    private boolean probing;
    /** A probe's pong that waits for the client's next poll ({@link EngineIoServer#malformedOnUpgrade}). */
    private Runnable pongOnNextPoll;

    private boolean upgraded;
    private volatile boolean closed;
    private long pingTimer = -1;
    private long pongTimer = -1;

    EngineIoSession(
            Vertx vertx,
            String sid,
            MultiMap headers,
            Duration pingInterval,
            Duration pingTimeout,
            EngineIoServer server) {
        this.vertx = vertx;
        this.sid = sid;
        this.headers = MultiMap.caseInsensitiveMultiMap().addAll(headers);
        this.pingInterval = pingInterval;
        this.pingTimeout = pingTimeout;
        this.server = server;
    }

    String sid() {
        return sid;
    }

    /** A header of the handshake request (as {@code socket.handshake.headers} in socket.io). */
    String header(String name) {
        return headers.get(name);
    }

    boolean upgraded() {
        return upgraded;
    }

    String transport() {
        return upgraded ? "websocket" : "polling";
    }

    /** Queues one packet ({@code 4…} message, {@code 2} ping …); {@code split}: one byte per write. */
    void send(String packet, boolean split) {
        if (closed) {
            return;
        }
        queue.addLast(new Outgoing(packet, split));
        flush();
    }

    private void flush() {
        if (upgraded) {
            while (!queue.isEmpty()) {
                Outgoing next = queue.pollFirst();
                writeWebSocket(next.packet(), next.split());
            }
            return;
        }
        if (pendingPoll != null && !queue.isEmpty()) {
            StringBuilder payload = new StringBuilder();
            boolean split = false;
            while (!queue.isEmpty()) {
                Outgoing next = queue.pollFirst();
                if (!payload.isEmpty()) {
                    payload.append(EngineIoServer.SEPARATOR);
                }
                payload.append(next.packet());
                split |= next.split();
            }
            HttpServerResponse poll = pendingPoll;
            pendingPoll = null;
            respond(poll, payload.toString(), split);
        }
    }

    /** A polling response: the payload whole, or one byte per write (chunked). */
    void respond(HttpServerResponse response, String payload, boolean split) {
        if (response.closed() || response.ended()) {
            return;
        }
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        response.putHeader("Content-Type", "text/plain; charset=UTF-8");
        if (!split) {
            response.end(Buffer.buffer(bytes));
            return;
        }
        response.setChunked(true);
        for (byte b : bytes) {
            response.write(Buffer.buffer(new byte[] {b}));
        }
        response.end();
    }

    private void writeWebSocket(String packet, boolean split) {
        if (ws == null || ws.isClosed()) {
            return;
        }
        if (!split) {
            ws.writeTextMessage(packet);
            return;
        }
        // One message in fragments of one byte: a UTF-8 character is cut across frames.
        byte[] bytes = packet.getBytes(StandardCharsets.UTF_8);
        ws.writeFrame(WebSocketFrame.textFrame(new String(bytes, 0, 1, StandardCharsets.UTF_8), bytes.length == 1));
        for (int i = 1; i < bytes.length; i++) {
            ws.writeFrame(
                    WebSocketFrame.continuationFrame(Buffer.buffer(new byte[] {bytes[i]}), i == bytes.length - 1));
        }
    }

    /** A long-poll GET: held until a packet is queued. */
    void poll(HttpServerRequest request) {
        if (upgraded) {
            EngineIoServer.error(request, 400, 3, "Bad request");
            return;
        }
        if (pendingPoll != null) {
            // engine.io: "overlap from client" closes the session.
            EngineIoServer.error(request, 400, 3, "Bad request");
            close("transport error");
            return;
        }
        if (pongOnNextPoll != null) {
            pendingPoll = request.response();
            Runnable pong = pongOnNextPoll;
            pongOnNextPoll = null;
            pong.run();
            return;
        }
        if (probing) {
            respond(request.response(), "6", false);
            return;
        }
        HttpServerResponse response = request.response();
        pendingPoll = response;
        response.closeHandler(v -> {
            if (pendingPoll == response) {
                pendingPoll = null;
            }
        });
        flush();
    }

    /** A POST of the client's packets. */
    void receive(HttpServerRequest request) {
        if (upgraded) {
            EngineIoServer.error(request, 400, 3, "Bad request");
            return;
        }
        request.body().onSuccess(body -> {
            if (body.length() > EngineIoServer.MAX_PAYLOAD) {
                request.response().setStatusCode(413).end();
                close("transport error");
                return;
            }
            request.response()
                    .putHeader("Content-Type", "text/html; charset=UTF-8")
                    .end("ok");
            for (String packet :
                    body.toString(StandardCharsets.UTF_8).split(String.valueOf(EngineIoServer.SEPARATOR))) {
                onPacket(packet);
            }
        });
    }

    /** A websocket opened with this session's sid: probe, then upgrade on {@code 5}. */
    void probe(ServerWebSocket socket, HttpConnection connection) {
        if (closed) {
            connection.close();
            return;
        }
        probe = socket;
        probeConnection = connection;
        socket.textMessageHandler(message -> {
            if (closed) {
                return;
            }
            if (!upgraded && "2probe".equals(message)) {
                probing = true;
                if (server.malformedOnUpgrade()) {
                    // The pong while the client holds a poll, and that poll answered a moment
                    // later with a packet of unknown type: the client fails while its polling is
                    // paused for the upgrade.
                    Runnable pong = () -> {
                        socket.writeTextMessage("3probe");
                        HttpServerResponse held = pendingPoll;
                        pendingPoll = null;
                        vertx.setTimer(50, t -> respond(held, MALFORMED, false));
                    };
                    if (pendingPoll != null) {
                        pong.run();
                    } else {
                        pongOnNextPoll = pong;
                    }
                    return;
                }
                socket.writeTextMessage("3probe");
                releasePoll();
            } else if (!upgraded && "5".equals(message)) {
                server.onUpgrade();
                attach(socket, connection);
                releasePoll();
                flush();
            } else if (upgraded && ws == socket) {
                onPacket(message);
            }
        });
        socket.closeHandler(v -> {
            if (ws == socket) {
                close("transport close");
            }
        });
    }

    /** The websocket becomes this session's transport. */
    void attach(ServerWebSocket socket, HttpConnection connection) {
        ws = socket;
        wsConnection = connection;
        probe = null;
        probeConnection = null;
        upgraded = true;
        probing = false;
        socket.textMessageHandler(this::onPacket);
        socket.closeHandler(v -> close("transport close"));
    }

    /** Answers a held poll with a noop, so that the client can pause polling and upgrade. */
    private void releasePoll() {
        if (pendingPoll != null) {
            HttpServerResponse poll = pendingPoll;
            pendingPoll = null;
            respond(poll, "6", false);
        }
    }

    private void onPacket(String packet) {
        if (closed) {
            return;
        }
        if (packet.isEmpty()) {
            close("parse error");
            return;
        }
        switch (packet.charAt(0)) {
            case '1' -> close("transport close");
            case '3' -> onPong();
            case '4' -> server.onMessage(this, packet.substring(1));
            case '6' -> {
                // noop
            }
            default -> close("parse error");
        }
    }

    void startHeartbeat() {
        pingTimer = vertx.setTimer(pingInterval.toMillis(), t -> {
            send("2", false);
            pongTimer = vertx.setTimer(pingTimeout.toMillis(), t2 -> close("ping timeout"));
        });
    }

    private void onPong() {
        server.onPong();
        if (pongTimer >= 0) {
            vertx.cancelTimer(pongTimer);
            pongTimer = -1;
            startHeartbeat();
        }
    }

    /** Ends the session as engine.io does: a close packet to a held poll, a close frame on a websocket. */
    void close(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        vertx.cancelTimer(pingTimer);
        vertx.cancelTimer(pongTimer);
        queue.clear();
        if (pendingPoll != null) {
            respond(pendingPoll, "1", false);
            pendingPoll = null;
        }
        if (ws != null && !ws.isClosed()) {
            ws.close();
        }
        if (probe != null && !probe.isClosed()) {
            probe.close();
        }
        server.onClosed(this, reason);
    }

    /** Closes a websocket's TCP connection without a close frame. */
    private static void breakConnection(ServerWebSocket socket, HttpConnection connection) {
        if (socket instanceof WebSocketInternal internal) {
            internal.channelHandlerContext().channel().close();
        } else if (connection != null) {
            connection.close();
        }
    }

    /** The connection breaks: no close packet, no close frame (a network cut, a crashed server). */
    void cut() {
        if (closed) {
            return;
        }
        if (pendingPoll != null) {
            pendingPoll.reset();
            pendingPoll = null;
        }
        breakConnection(ws, wsConnection);
        breakConnection(probe, probeConnection);
        closed = true;
        vertx.cancelTimer(pingTimer);
        vertx.cancelTimer(pongTimer);
        queue.clear();
        server.onClosed(this, "transport error");
    }
}
