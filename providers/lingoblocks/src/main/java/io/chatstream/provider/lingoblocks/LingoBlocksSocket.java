package io.chatstream.provider.lingoblocks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.chatstream.contract.event.ErrorCode;
import io.chatstream.provider.ProviderException;
import io.chatstream.provider.transport.HttpFailures;
import io.socket.client.IO;
import io.socket.client.Manager;
import io.socket.client.Socket;
import io.socket.client.SocketIOException;
import io.socket.emitter.Emitter;
import io.socket.engineio.client.EngineIOException;
import io.socket.engineio.client.Transport;
import io.socket.engineio.client.transports.Polling;
import io.socket.engineio.client.transports.WebSocket;
import io.socket.engineio.parser.Packet;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.OkHttpClient;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * One socket.io connection to LingoBlocks with the stock Java client (Engine.IO v4 / Socket.IO v5):
 * the {@code access-token} header on the polling handshake, polling first then the websocket
 * upgrade, no reconnection (a lost socket fails the answer: its events cannot be replayed). Its
 * callbacks come on the client's event thread: the {@link Events} implementation hands them over.
 */
final class LingoBlocksSocket {

    static final String TOKEN_HEADER = "access-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the connection reports; at most one of {@code refused} / {@code failed} / {@code disconnected} matters. */
    interface Events {
        void connected();

        /** The vendor refused the access token: a CONNECT_ERROR packet, or HTTP 401/403 on the handshake. */
        void refused(String reason);

        void failed(ProviderException failure);

        /** Any event from the server: its name and first argument. */
        void event(String name, JsonNode payload);

        /** The connection ended without us closing it. */
        void disconnected(String reason);
    }

    private final Socket socket;
    private final AtomicBoolean connected = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final UpgradeCloser upgradeCloser;
    /** The connection ended on its own (a failure, a lost transport), not by {@link #close()}. */
    private final AtomicBoolean failed = new AtomicBoolean();

    private LingoBlocksSocket(OkHttpClient http, LingoBlocksEndpoint endpoint, String token, Events events) {
        this.upgradeCloser = new UpgradeCloser(http, endpoint, token);
        IO.Options options = IO.Options.builder()
                .setForceNew(true)
                .setReconnection(false)
                // The connect timeout is the provider's own timer (a client timeout costs a thread).
                .setTimeout(-1)
                .setTransports(new String[] {Polling.NAME, WebSocket.NAME})
                .setUpgrade(true)
                .setPath(endpoint.socketPath())
                .setExtraHeaders(Map.of(TOKEN_HEADER, List.of(token)))
                .build();
        options.callFactory = http;
        options.webSocketFactory = new ClosingWebSockets(http);
        options.decoder = new StrictDecoder(message -> {
            if (!closed.get()) {
                failed.set(true);
                events.failed(new ProviderException(ErrorCode.PROTOCOL_ERROR, message));
            }
        });
        socket = IO.socket(endpoint.socketUri(), options);
        socket.on(Socket.EVENT_CONNECT, args -> {
            connected.set(true);
            if (!closed.get()) {
                events.connected();
            }
        });
        socket.on(Socket.EVENT_CONNECT_ERROR, args -> {
            if (!closed.get()) {
                failed.set(true);
                connectError(args.length > 0 ? args[0] : null, events);
            }
        });
        socket.on(Socket.EVENT_DISCONNECT, args -> {
            String reason = args.length > 0 ? String.valueOf(args[0]) : "unknown";
            if (!closed.get() && !"io client disconnect".equals(reason)) {
                failed.set(true);
                events.disconnected(reason);
            }
        });
        socket.io().on(Manager.EVENT_ERROR, args -> {
            // Before the connection, the same error comes again as a connect_error.
            if (!closed.get() && connected.get() && args.length > 0 && isParserError(args[0])) {
                failed.set(true);
                events.failed(new ProviderException(
                        ErrorCode.PROTOCOL_ERROR, "the vendor sent an Engine.IO packet that cannot be parsed"));
            }
        });
        socket.io().on(Manager.EVENT_TRANSPORT, args -> {
            if (args.length > 0 && args[0] instanceof WebSocket probe) {
                upgradeCloser.probing(probe);
                watchUpgrade(probe, events);
            }
        });
        socket.onAnyIncoming(args -> {
            if (!closed.get() && args.length > 0) {
                events.event(String.valueOf(args[0]), args.length > 1 ? toJson(args[1]) : NullNode.getInstance());
            }
        });
    }

    /**
     * A websocket that broke after answering the upgrade probe ({@code 3probe}) is the end of the
     * connection, even if the client does not say so: broken during the upgrade, it leaves the
     * polling transport paused for good (the stock client only notices at its ping timeout, 45 s
     * later by default). A probe that fails before {@code 3probe} (a proxy that blocks websockets)
     * is harmless: polling goes on.
     */
    private void watchUpgrade(WebSocket probe, Events events) {
        AtomicBoolean probed = new AtomicBoolean();
        probe.on(Transport.EVENT_PACKET, args -> {
            if (args.length > 0
                    && args[0] instanceof Packet<?> packet
                    && Packet.PONG.equals(packet.type)
                    && "probe".equals(packet.data)) {
                probed.set(true);
            }
        });
        Emitter.Listener broken = args -> {
            if (probed.get() && connected.get() && !closed.get()) {
                failed.set(true);
                events.disconnected("the websocket closed during or after the upgrade");
            }
        };
        probe.on(Transport.EVENT_ERROR, broken);
        probe.on(Transport.EVENT_CLOSE, broken);
    }

    /** Opens a connection; {@code events} hears how it goes. */
    static LingoBlocksSocket open(OkHttpClient http, LingoBlocksEndpoint endpoint, String token, Events events) {
        LingoBlocksSocket s = new LingoBlocksSocket(http, endpoint, token, events);
        s.socket.connect();
        return s;
    }

    /** Disconnects (a DISCONNECT packet, then the Engine.IO close); no event is reported after it. */
    void close() {
        if (closed.compareAndSet(false, true)) {
            socket.close();
            if (failed.get()) {
                upgradeCloser.closeSession();
            }
        }
    }

    private static void connectError(Object error, Events events) {
        if (error instanceof JSONObject refusal) {
            // A CONNECT_ERROR packet 44{"message":…}: the server's middleware refused us.
            events.refused(refusal.optString("message", "connection refused"));
            return;
        }
        if (error instanceof EngineIOException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io
                    && io.getMessage() != null
                    && io.getMessage().matches("\\d{3}")) {
                int status = Integer.parseInt(io.getMessage());
                if (status == 401 || status == 403) {
                    events.refused("HTTP " + status + " on the socket.io handshake");
                } else {
                    events.failed(HttpFailures.of(status, "on the socket.io handshake", null));
                }
                return;
            }
            if (cause instanceof org.json.JSONException || isParserError(e)) {
                events.failed(new ProviderException(
                        ErrorCode.PROTOCOL_ERROR, "the vendor's socket.io handshake cannot be parsed"));
                return;
            }
            events.failed(new ProviderException(
                    ErrorCode.PROVIDER_UNAVAILABLE,
                    "cannot open the socket.io connection: " + e.getMessage()
                            + (cause == null ? "" : " (" + cause.getMessage() + ")"),
                    e));
            return;
        }
        if (error instanceof SocketIOException e) {
            // e.g. a Socket.IO v2 server, which answers CONNECT without a sid.
            events.failed(new ProviderException(ErrorCode.PROTOCOL_ERROR, "socket.io: " + e.getMessage()));
            return;
        }
        events.failed(new ProviderException(
                ErrorCode.PROVIDER_UNAVAILABLE, "cannot open the socket.io connection: " + error));
    }

    /** The engine's "server error" with code "parser error": a packet of unknown type or no payload. */
    private static boolean isParserError(Object error) {
        return error instanceof EngineIOException e
                && "server error".equals(e.getMessage())
                && "parser error".equals(String.valueOf(e.code));
    }

    static JsonNode toJson(Object arg) {
        if (arg == null || arg == JSONObject.NULL) {
            return NullNode.getInstance();
        }
        if (arg instanceof JSONObject || arg instanceof JSONArray) {
            try {
                return JSON.readTree(arg.toString());
            } catch (IOException | RuntimeException e) {
                return NullNode.getInstance();
            }
        }
        if (arg instanceof String text) {
            return new TextNode(text);
        }
        return JSON.valueToTree(arg);
    }
}
