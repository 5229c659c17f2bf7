package io.chatstream.provider.lingoblocks.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.chatstream.simulator.HttpSimulator;
import io.chatstream.simulator.common.ByteWriter;
import io.chatstream.simulator.common.ScriptedAnswer;
import io.chatstream.simulator.common.SimSwitches;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The LingoBlocks chatbot API as its docs describe it, on one port:
 *
 * <ul>
 *   <li>{@code POST /v1/chatbot/{id}/authenticate} {@code {accessToken?}} → {@code {accessToken}}:
 *       the same token when the one sent is still valid, else a new one; an unknown chatbot is 404.
 *   <li>socket.io (Engine.IO v4 / Socket.IO v5) at {@code /socket.io/}: the {@code access-token}
 *       header of the polling handshake must be a valid token, else the namespace CONNECT is refused
 *       with {@code 44{"message"}} (or, with {@code refuse=http}, the handshake gets HTTP 403).
 *   <li>{@code POST /v1/chatbot/{id}/message} {@code {text, accessToken}} → {@code {response,
 *       metadata}} once the whole answer is generated; meanwhile every socket connected with that
 *       token receives {@code 42["message",{"event":"chatbot.responseGenerated","data":…}]}.
 * </ul>
 *
 * <p>Switches ({@link SimSwitches}, per message with {@code #sim:…} in the text): {@code tokens},
 * {@code pace}; the wire variants {@code cumulative} (data = the text so far instead of a delta),
 * {@code object-data} (data = {@code {"text":…}} instead of a string), {@code other-events}
 * (unrelated {@code message} events and other socket.io events interleaved), {@code no-stream}
 * (nothing on the socket, only the /message answer), {@code final-delay} (how long after the last
 * event the /message answer comes, default 20ms), {@code split} (every frame and the /message body
 * one byte per write; websocket messages in one-byte fragments); the failures {@code status} (+
 * {@code retry-after}) on /message, {@code error-after=N} (an in-band {@code
 * {"event":"chatbot.error"}} message, then /message answers 500; with {@code error-kind=status}
 * only the 500; with {@code error-order=status-first} the 500 first, the message 100 ms later), {@code cut-after=N} (the socket's connection breaks, /message never answers),
 * {@code stall-after=N}, {@code malformed-after=N} (a socket.io packet whose JSON is cut; with
 * {@code malformed-kind=engine} an Engine.IO packet of unknown type). Simulator-wide only (the
 * constructor's defaults, since the socket is opened before the text is sent): {@code auth-status}
 * (the status of /authenticate), {@code refuse=http}, {@code upgrade=false} (polling only), {@code
 * malformed-on-upgrade} (the poll held during the websocket upgrade gets an Engine.IO packet of
 * unknown type), {@code ping-interval}, {@code ping-timeout}.
 */
public final class LingoBlocksSimulator extends HttpSimulator {

    /** The chatbot id of the local run's bot (the bots file SimulatorsMain writes). */
    public static final String DEFAULT_CHATBOT_ID = "sim-chatbot";

    static final String RESPONSE_GENERATED = "chatbot.responseGenerated";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REST_PATH = Pattern.compile("^/v1/chatbot/([^/]+)/(authenticate|message)/?$");

    /** One {@code /message} call as received. */
    public record ReceivedMessage(String chatbotId, String accessToken, String text) {}

    private final String chatbotId;
    private final Map<String, String> defaults;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final Deque<ReceivedMessage> received = new ConcurrentLinkedDeque<>();
    private final Deque<String> authenticateTokens = new ConcurrentLinkedDeque<>();
    private final AtomicInteger pendingMessages = new AtomicInteger();
    private final SocketIoNamespace namespace;
    private final EngineIoServer engine;

    /**
     * @param chatbotId the chatbot this simulator knows; null knows every id
     * @param defaults switches that apply unless a message overrides them
     */
    public LingoBlocksSimulator(Vertx vertx, String chatbotId, Map<String, String> defaults) {
        super(vertx);
        this.chatbotId = chatbotId;
        this.defaults = defaults;
        SimSwitches sw = SimSwitches.of(defaults, null);
        this.namespace = new SocketIoNamespace(tokens::containsKey);
        boolean refuseOnHandshake = "http".equals(sw.get("refuse").orElse("connect-error"));
        this.engine = new EngineIoServer(
                vertx,
                sw.duration("ping-interval", Duration.ofMillis(25_000)),
                sw.duration("ping-timeout", Duration.ofMillis(20_000)),
                !"false".equals(sw.get("upgrade").orElse("true")),
                headers -> !refuseOnHandshake || tokens.containsKey(String.valueOf(headers.get("access-token"))),
                namespace);
        engine.malformedOnUpgrade(sw.on("malformed-on-upgrade"));
    }

    @Override
    public Future<Void> close() {
        engine.closeAll();
        return super.close();
    }

    /** Socket.io sessions and /message calls still open: back to 0 after a cancel or a failure. */
    public int openStreams() {
        return engine.openSessions() + pendingMessages.get();
    }

    /** The /message calls received, oldest first (at most 200). */
    public List<ReceivedMessage> receivedMessages() {
        return List.copyOf(received);
    }

    /** The access token each /authenticate call answered 200 was sent ("" when none), oldest first. */
    public List<String> authenticateRequests() {
        return List.copyOf(authenticateTokens);
    }

    /** Socket.io sessions that upgraded from polling to a websocket, since the start. */
    public int upgrades() {
        return engine.upgrades();
    }

    /** Pongs the clients sent to the server's pings, since the start. */
    public int pongs() {
        return engine.pongs();
    }

    /** Forgets every access token: the next use of one is refused, as an expired token would be. */
    public void revokeAllTokens() {
        tokens.clear();
    }

    @Override
    protected void handle(HttpServerRequest request) {
        String path = request.path();
        if (path.equals("/socket.io") || path.startsWith("/socket.io/")) {
            engine.handle(request);
            return;
        }
        Matcher m = REST_PATH.matcher(path);
        if (!m.matches()) {
            jsonError(request.response(), 404, "Cannot " + request.method() + " " + path, false);
            return;
        }
        if (request.method() != HttpMethod.POST) {
            jsonError(request.response(), 404, "Cannot " + request.method() + " " + path, false);
            return;
        }
        String id = m.group(1);
        boolean authenticate = m.group(2).equals("authenticate");
        request.body().onSuccess(body -> {
            if (chatbotId != null && !chatbotId.equals(id)) {
                jsonError(request.response(), 404, "Chatbot not found", false);
            } else if (authenticate) {
                authenticate(request.response(), id, body);
            } else {
                message(request.response(), id, body);
            }
        });
    }

    private void authenticate(HttpServerResponse response, String id, Buffer body) {
        SimSwitches sw = SimSwitches.of(defaults, null);
        int status = sw.integer("auth-status", 200);
        if (status != 200) {
            statusError(response, sw, status, false);
            return;
        }
        JsonNode json = parse(body);
        if (json == null) {
            jsonError(response, 400, "Invalid JSON body", false);
            return;
        }
        String old =
                json.path("accessToken").isTextual() ? json.path("accessToken").asText() : null;
        String token = old != null && id.equals(tokens.get(old)) ? old : "lb-" + UUID.randomUUID();
        tokens.put(token, id);
        authenticateTokens.addLast(old == null ? "" : old);
        sendJson(response, 200, JSON.createObjectNode().put("accessToken", token), false);
    }

    private void message(HttpServerResponse response, String id, Buffer body) {
        JsonNode json = parse(body);
        if (json == null || !json.isObject()) {
            jsonError(response, 400, "Invalid JSON body", false);
            return;
        }
        String token = json.path("accessToken").asText("");
        if (!id.equals(tokens.get(token))) {
            jsonError(response, 401, "Invalid or expired access token", false);
            return;
        }
        if (!json.path("text").isTextual() || json.path("text").asText().isBlank()) {
            jsonError(response, 400, "text is required", false);
            return;
        }
        String text = json.path("text").asText();
        received.addLast(new ReceivedMessage(id, token, text));
        while (received.size() > 200) {
            received.pollFirst();
        }
        SimSwitches sw = SimSwitches.of(defaults, text);
        int status = sw.integer("status", 200);
        if (status != 200) {
            statusError(response, sw, status, sw.on("split"));
            return;
        }
        List<String> answer = ScriptedAnswer.tokens(SimSwitches.stripDirectives(text), sw.integer("tokens", 12));
        pendingMessages.incrementAndGet();
        AtomicBoolean counted = new AtomicBoolean(true);
        Runnable ended = () -> {
            if (counted.getAndSet(false)) {
                pendingMessages.decrementAndGet();
            }
        };
        response.closeHandler(v -> ended.run());
        response.endHandler(v -> ended.run());
        new Answer(response, sw, answer, id, namespace.socketsOf(token)).next(0);
    }

    /** One answer: its events on the sockets of the token, then the /message response. */
    private final class Answer {
        private final HttpServerResponse response;
        private final SimSwitches sw;
        private final List<String> tokens;
        private final String chatbot;
        private final List<SocketIoNamespace.ConnectedSocket> targets;
        private final Duration pace;
        private final boolean split;
        private final String messageId = "msg-" + UUID.randomUUID();
        private final StringBuilder sent = new StringBuilder();

        Answer(
                HttpServerResponse response,
                SimSwitches sw,
                List<String> tokens,
                String chatbot,
                List<SocketIoNamespace.ConnectedSocket> targets) {
            this.response = response;
            this.sw = sw;
            this.tokens = tokens;
            this.chatbot = chatbot;
            this.targets = sw.on("no-stream") ? List.of() : targets;
            this.pace = sw.duration("pace", Duration.ZERO);
            this.split = sw.on("split");
        }

        void next(int i) {
            if (response.closed() || response.ended()) {
                return;
            }
            if (i == sw.integer("cut-after", -1)) {
                targets.forEach(s -> s.session().cut());
                return; // and /message never answers
            }
            if (i == sw.integer("stall-after", -1)) {
                return; // nothing more; the sockets stay open and keep their heartbeat
            }
            if (i == sw.integer("error-after", -1)) {
                if ("status".equals(sw.get("error-kind").orElse("event"))) {
                    jsonError(response, 500, "Simulated error while generating the answer", split);
                    return;
                }
                ObjectNode error = JSON.createObjectNode().put("event", "chatbot.error");
                error.putObject("data").put("message", "Simulated in-band error");
                Runnable inBand = () -> targets.forEach(s -> SocketIoNamespace.emit(s, "message", error, split));
                Runnable status = () -> jsonError(response, 500, "Simulated in-band error", split);
                // The two arrive on two connections in no fixed order: error-order=status-first
                // sends the 500 first, as a late socket reader sees them.
                boolean statusFirst =
                        "status-first".equals(sw.get("error-order").orElse("event-first"));
                (statusFirst ? status : inBand).run();
                vertx.setTimer(100, t -> (statusFirst ? inBand : status).run());
                return;
            }
            if (i == sw.integer("malformed-after", -1)) {
                String packet = "engine".equals(sw.get("malformed-kind").orElse("socketio"))
                        ? "x2[\"message\"]"
                        : "42[\"message\",{\"event\":\"" + RESPONSE_GENERATED + "\",\"data\":";
                targets.forEach(s -> s.session().send(packet, split));
                return; // and /message never answers
            }
            if (i == tokens.size()) {
                vertx.setTimer(
                        Math.max(
                                1,
                                sw.duration("final-delay", Duration.ofMillis(20))
                                        .toMillis()),
                        t -> finish());
                return;
            }
            if (i == 0 && sw.on("other-events")) {
                ObjectNode typing = JSON.createObjectNode().put("event", "chatbot.typing");
                typing.put("data", true);
                targets.forEach(s -> {
                    SocketIoNamespace.emit(s, "message", typing, split);
                    SocketIoNamespace.emit(
                            s, "presence", JSON.createObjectNode().put("online", true), split);
                });
            }
            sent.append(tokens.get(i));
            String piece = sw.on("cumulative") ? sent.toString() : tokens.get(i);
            ObjectNode event = JSON.createObjectNode().put("event", RESPONSE_GENERATED);
            event.set("data", sw.on("object-data") ? JSON.createObjectNode().put("text", piece) : new TextNode(piece));
            event.put("messageId", messageId);
            targets.forEach(s -> SocketIoNamespace.emit(s, "message", event, split));
            if (sw.on("other-events") && i % 3 == 1) {
                ObjectNode other = JSON.createObjectNode().put("event", "chatbot.sourcesFound");
                other.putArray("data").add("kb://sim");
                targets.forEach(s -> SocketIoNamespace.emit(s, "message", other, split));
            }
            if (pace.isZero()) {
                vertx.runOnContext(v -> next(i + 1));
            } else {
                vertx.setTimer(pace.toMillis(), t -> next(i + 1));
            }
        }

        private void finish() {
            if (response.closed() || response.ended()) {
                return;
            }
            ObjectNode body = JSON.createObjectNode().put("response", String.join("", tokens));
            body.putObject("metadata")
                    .put("messageId", messageId)
                    .put("chatbotId", chatbot)
                    .putArray("sources");
            sendJson(response, 200, body, split);
        }
    }

    private void statusError(HttpServerResponse response, SimSwitches sw, int status, boolean split) {
        if (status == 429) {
            response.putHeader("Retry-After", sw.get("retry-after").orElse("1"));
        }
        jsonError(response, status, "Simulated error " + status, split);
    }

    private static void jsonError(HttpServerResponse response, int status, String message, boolean split) {
        sendJson(response, status, JSON.createObjectNode().put("message", message), split);
    }

    private static void sendJson(HttpServerResponse response, int status, JsonNode body, boolean split) {
        if (response.closed() || response.ended()) {
            return;
        }
        response.setStatusCode(status).setChunked(true).putHeader("Content-Type", "application/json; charset=utf-8");
        ByteWriter.write(response, body.toString(), split);
        response.end();
    }

    private static JsonNode parse(Buffer body) {
        if (body.length() == 0) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body.getBytes());
        } catch (Exception e) {
            return null;
        }
    }
}
