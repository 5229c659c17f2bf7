package io.chatstream.provider.aui.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatstream.simulator.HttpSimulator;
import io.chatstream.simulator.common.SimSwitches;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The AUI Messaging API as documented (docs.aui.io, messaging-api): {@code POST
 * {base}/api/v1/external/tasks} {@code {user_id}} with {@code x-network-api-key} creates a task,
 * and the WebSocket {@code {base}/api/v1/external/session?network_api_key=…} answers each {@code
 * {task_id, text, context?}} text message with progress events carrying the cumulative text, then
 * the final {@code ExternalTaskMessage}. Several messages may share one socket (they are answered
 * one after the other). Errors are a payload {@code {status_code, description, message,
 * extra_data}} then close 1008 (authentication or application error) or 1011 (internal error).
 *
 * <p>The base path is whatever precedes {@code /api/v1/external/…} (the real one is {@code
 * /api/ia-controller}). Switches ({@link SimSwitches}, per message by {@code #sim:…} in its text):
 * see {@link AuiExchange}. The task call only sees the simulator's defaults: {@code task-status=N}
 * fails it with HTTP N.
 */
public final class AuiSimulator extends HttpSimulator {

    static final String TASKS = "/api/v1/external/tasks";
    static final String SESSION = "/api/v1/external/session";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String apiKey;
    private final Map<String, String> defaults;
    private final AtomicInteger openConnections = new AtomicInteger();
    /** task id → user id. */
    private final Map<String, String> tasks = new ConcurrentHashMap<>();

    private final Deque<JsonNode> received = new ConcurrentLinkedDeque<>();
    /**
     * @param apiKey the accepted network API key; null accepts any
     * @param defaults switches that apply unless a message overrides them
     */
    public AuiSimulator(Vertx vertx, String apiKey, Map<String, String> defaults) {
        super(vertx);
        this.apiKey = apiKey;
        this.defaults = defaults;
    }

    /** WebSocket connections open now: back to 0 after a cancel or a failure. */
    public int openStreams() {
        return openConnections.get();
    }

    /** The WebSocket messages received so far ({@code {task_id, text, context}}), oldest first. */
    public List<JsonNode> receivedMessages() {
        return List.copyOf(received);
    }

    /** The tasks created so far: task id → user id. */
    public Map<String, String> tasks() {
        return Map.copyOf(tasks);
    }

    boolean knowsTask(String taskId) {
        return tasks.containsKey(taskId);
    }

    String userOf(String taskId) {
        return tasks.getOrDefault(taskId, "");
    }

    void record(JsonNode message) {
        received.addLast(message);
        while (received.size() > 200) {
            received.pollFirst();
        }
    }

    Vertx vertx() {
        return vertx;
    }

    Map<String, String> defaults() {
        return defaults;
    }

    @Override
    protected void handle(HttpServerRequest request) {
        String path = request.path();
        if (path.endsWith(SESSION) && "websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            openSession(request);
        } else if (path.endsWith(TASKS) && request.method().name().equals("POST")) {
            request.body().onSuccess(body -> createTask(request, body)).onFailure(e -> request.connection()
                    .close());
        } else {
            error(request.response(), 404, "Not Found", "No route for " + request.method() + " " + path);
        }
    }

    private void createTask(HttpServerRequest request, Buffer body) {
        HttpServerResponse response = request.response();
        if (apiKey != null && !apiKey.equals(request.getHeader("x-network-api-key"))) {
            error(response, 401, "Not authenticated", "Invalid API key");
            return;
        }
        SimSwitches sw = SimSwitches.of(defaults, null);
        int status = sw.integer("task-status", 200);
        if (status != 200) {
            if (status == 429) {
                response.putHeader("Retry-After", sw.get("retry-after").orElse("1"));
            }
            error(response, status, status >= 500 ? "Internal Server Error" : "Application error", "Simulated error");
            return;
        }
        JsonNode json;
        try {
            json = JSON.readTree(body.getBytes());
        } catch (Exception e) {
            json = null;
        }
        if (json == null
                || !json.path("user_id").isTextual()
                || json.path("user_id").asText().isEmpty()) {
            error(response, 422, "Validation Error", "user_id is required");
            return;
        }
        String userId = json.path("user_id").asText();
        String taskId = objectId();
        tasks.put(taskId, userId);
        ObjectNode task = JSON.createObjectNode()
                .put("id", taskId)
                .put("user_id", userId)
                .put("title", "New Conversation")
                .put("welcome_message", "Hi! I'm here to help you find the perfect product. What are you looking for?");
        task.putArray("followup_suggestions").add("Show me your best sellers").add("What's on sale right now?");
        response.setStatusCode(200)
                .putHeader("Content-Type", "application/json")
                .end(task.toString());
    }

    private void openSession(HttpServerRequest request) {
        String key = queryParam(request.query(), "network_api_key");
        request.toWebSocket().onSuccess(ws -> {
            openConnections.incrementAndGet();
            AuiConnection connection = new AuiConnection(this, request, ws, openConnections::decrementAndGet);
            if (apiKey != null && !apiKey.equals(key)) {
                // As documented: invalid credentials close the connection at once with 1008.
                connection.closeWithError(401, "Not authenticated", "Invalid API key");
                return;
            }
            connection.start();
        });
    }

    static ObjectNode errorPayload(int status, String description, String message) {
        ObjectNode error = JSON.createObjectNode()
                .put("status_code", status)
                .put("description", description)
                .put("message", message);
        error.putObject("extra_data");
        return error;
    }

    private static void error(HttpServerResponse response, int status, String description, String message) {
        response.setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(errorPayload(status, description, message).toString());
    }

    /** A 24-hex-digit id, like the vendor's (MongoDB ObjectId) task ids. */
    static String objectId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    private static String queryParam(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            if (URLDecoder.decode(k, StandardCharsets.UTF_8).equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** One WebSocket: its messages are answered one after the other. */
    static final class AuiConnection {
        private final AuiSimulator simulator;
        private final HttpServerRequest request;
        private final ServerWebSocket ws;
        private final Runnable onClosed;
        private final Deque<String> queue = new ConcurrentLinkedDeque<>();
        private boolean busy;
        private boolean counted = true;

        AuiConnection(AuiSimulator simulator, HttpServerRequest request, ServerWebSocket ws, Runnable onClosed) {
            this.simulator = simulator;
            this.request = request;
            this.ws = ws;
            this.onClosed = onClosed;
            ws.closeHandler(v -> closed());
        }

        void start() {
            ws.textMessageHandler(text -> {
                queue.addLast(text);
                next();
            });
            ws.binaryMessageHandler(bytes -> {
                queue.addLast(bytes.toString(StandardCharsets.UTF_8));
                next();
            });
        }

        boolean isClosed() {
            return ws.isClosed();
        }

        /** The next queued message, once the previous answer has ended. */
        void next() {
            if (busy || isClosed()) {
                return;
            }
            String text = queue.pollFirst();
            if (text == null) {
                return;
            }
            busy = true;
            new AuiExchange(simulator, this, text).start();
        }

        /** The answer ended normally: the socket stays open for the next message. */
        void answered() {
            busy = false;
            next();
        }

        Future<Void> send(String message, boolean split) {
            return AuiFrames.write(ws, message, split);
        }

        /** The documented error: the payload, then close 1008 (or 1011 for an internal error). */
        void closeWithError(int status, String description, String message) {
            short code = (short) (status >= 500 ? 1011 : 1008);
            ws.writeTextMessage(errorPayload(status, description, message).toString())
                    .onComplete(r -> closeWith(code, description));
        }

        void closeWith(short code, String reason) {
            if (!ws.isClosed()) {
                ws.close(code, reason);
            }
        }

        /** The TCP connection drops: no close frame. It gets no close callback of its own. */
        void cut() {
            closed();
            // HttpConnection.close(), and a close through the channel's pipeline, send a close frame
            // first: close the socket beneath the pipeline.
            if (request.connection() instanceof io.vertx.core.net.impl.ConnectionBase base) {
                io.netty.channel.Channel channel = base.channel();
                channel.eventLoop().execute(() -> channel.unsafe().close(channel.voidPromise()));
            } else {
                request.connection().close();
            }
        }

        private void closed() {
            if (counted) {
                counted = false;
                onClosed.run();
            }
        }
    }
}
