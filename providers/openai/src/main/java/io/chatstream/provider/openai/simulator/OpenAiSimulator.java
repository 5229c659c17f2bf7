package io.chatstream.provider.openai.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatstream.simulator.HttpSimulator;
import io.chatstream.simulator.common.ByteWriter;
import io.chatstream.simulator.common.OpenStreams;
import io.chatstream.simulator.common.ScriptedAnswer;
import io.chatstream.simulator.common.SimSwitches;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible {@code POST /v1/chat/completions} server that streams as the OpenAI API
 * does: {@code text/event-stream}, one {@code data: {chat.completion.chunk}} per token, a last
 * chunk with {@code choices: []} and {@code usage} when {@code stream_options.include_usage}, then
 * {@code data: [DONE]}.
 *
 * <p>Switches ({@link SimSwitches}; defaults from the constructor, overridden per message by
 * {@code #sim:name=value} in the last user message): {@code tokens}, {@code pace}, {@code status}
 * (an HTTP error: 401, 429 with {@code Retry-After}, 500 …), {@code retry-after}, {@code error-after}
 * (an in-band {@code data: {"error"…}} after N tokens), {@code cut-after} (the connection closes
 * after N tokens, no {@code [DONE]}), {@code stall-after} (nothing more after N tokens), {@code
 * malformed-after} (a chunk that is not JSON), {@code split} (one byte per write), {@code crlf} and
 * {@code cr} (line endings), {@code comments} (keep-alive {@code :} lines), {@code no-usage}, {@code
 * timestamps} (each token carries its send time, for the benchmark: {@link SendTime}).
 */
public final class OpenAiSimulator extends HttpSimulator {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String apiKey;
    private final Map<String, String> defaults;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final OpenStreams openStreams = new OpenStreams();
    /** The last bodies received, newest last: tests check what a connector sent (earlier turns …). */
    private final java.util.Deque<JsonNode> received = new java.util.concurrent.ConcurrentLinkedDeque<>();

    /**
     * @param apiKey the accepted Bearer key; null accepts any
     * @param defaults switches that apply unless a message overrides them
     */
    public OpenAiSimulator(Vertx vertx, String apiKey, Map<String, String> defaults) {
        super(vertx);
        this.apiKey = apiKey;
        this.defaults = defaults;
    }

    @Override
    protected HttpServer configure(HttpServer server) {
        return server.connectionHandler(connection -> connections.incrementAndGet());
    }

    /** TCP connections accepted so far: a client that keeps its connections alive opens few. */
    public int connections() {
        return connections.get();
    }

    /** Requests received so far on the completions path. */
    public int requests() {
        return requests.get();
    }

    /** The bodies of the last (at most 100) completion requests, oldest first. */
    public List<JsonNode> receivedBodies() {
        return List.copyOf(received);
    }

    /** Streams still open: a cancelled or abandoned stream must go back to zero. */
    public int openStreams() {
        return openStreams.count();
    }

    @Override
    protected void handle(HttpServerRequest request) {
        if (!request.path().endsWith("/chat/completions")) {
            error(request.response(), 404, "Unknown path " + request.path(), "invalid_request_error", null);
            return;
        }
        if (request.method().name().equals("POST") == false) {
            error(request.response(), 405, "Use POST", "invalid_request_error", null);
            return;
        }
        requests.incrementAndGet();
        request.body().onSuccess(body -> respond(request, body)).onFailure(e -> request.connection()
                .close());
    }

    private void respond(HttpServerRequest request, Buffer body) {
        HttpServerResponse response = request.response();
        String auth = request.getHeader("Authorization");
        if (apiKey != null && !("Bearer " + apiKey).equals(auth)) {
            error(response, 401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
            return;
        }
        JsonNode json;
        try {
            json = JSON.readTree(body.getBytes());
        } catch (Exception e) {
            error(response, 400, "We could not parse the JSON body of your request.", "invalid_request_error", null);
            return;
        }
        received.addLast(json);
        while (received.size() > 100) {
            received.pollFirst();
        }
        String question = lastUserMessage(json);
        SimSwitches sw = SimSwitches.of(defaults, question);
        int status = sw.integer("status", 200);
        if (status != 200) {
            if (status == 429) {
                response.putHeader("Retry-After", sw.get("retry-after").orElse("1"));
            }
            error(
                    response,
                    status,
                    "Simulated error " + status,
                    status == 429 ? "rate_limit_error" : "server_error",
                    null);
            return;
        }
        if (!json.path("stream").asBoolean(false)) {
            error(response, 400, "This simulator only streams: set stream to true.", "invalid_request_error", null);
            return;
        }
        boolean includeUsage = json.path("stream_options").path("include_usage").asBoolean(false) && !sw.on("no-usage");
        List<String> tokens = ScriptedAnswer.tokens(SimSwitches.stripDirectives(question), sw.integer("tokens", 12));
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("x-request-id", "sim-" + requests.get());
        Runnable ended = openStreams.track(response);
        String model = json.path("model").asText("sim-model");
        new Stream(response, sw, tokens, model, includeUsage, countWords(question), ended).next(0);
    }

    /** One streamed answer: a timer per token, so thousands of streams share one event loop. */
    private final class Stream {
        private final HttpServerResponse response;
        private final SimSwitches sw;
        private final List<String> tokens;
        private final String model;
        private final boolean includeUsage;
        private final int promptTokens;
        private final Duration pace;
        private final String eol;
        private final boolean split;
        private final String id = "chatcmpl-sim" + System.nanoTime();
        private final Runnable ended;

        Stream(
                HttpServerResponse response,
                SimSwitches sw,
                List<String> tokens,
                String model,
                boolean usage,
                int prompt,
                Runnable ended) {
            this.ended = ended;
            this.response = response;
            this.sw = sw;
            this.tokens = tokens;
            this.model = model;
            this.includeUsage = usage;
            this.promptTokens = prompt;
            this.pace = sw.duration("pace", Duration.ZERO);
            this.eol = sw.on("crlf") ? "\r\n" : sw.on("cr") ? "\r" : "\n";
            this.split = sw.on("split");
        }

        void next(int i) {
            if (response.closed()) {
                return;
            }
            if (i == sw.integer("cut-after", -1)) {
                // A reset stream gets no close callback of its own: count it closed here.
                ended.run();
                response.reset();
                return;
            }
            if (i == sw.integer("stall-after", -1)) {
                return; // says nothing more; the connection stays open
            }
            if (i == sw.integer("error-after", -1)) {
                send("{\"error\":{\"message\":\"Simulated in-band error\",\"type\":\"server_error\",\"code\":null}}");
                finish();
                return;
            }
            if (i == sw.integer("malformed-after", -1)) {
                send("{\"id\":\"" + id + "\",\"choices\":[{\"delta\":{\"content\":");
                finish();
                return;
            }
            if (i == tokens.size()) {
                send(chunk(null, "stop"));
                if (includeUsage) {
                    send(usageChunk());
                }
                send("[DONE]");
                response.end();
                return;
            }
            if (sw.on("comments")) {
                ByteWriter.write(response, ": keep-alive" + eol + eol, split);
            }
            String token = tokens.get(i);
            if (sw.on("timestamps")) {
                token = token + SendTime.mark(java.time.Instant.now());
            }
            Future<Void> written = send(chunk(token, null));
            if (pace.isZero()) {
                // Full speed, but let the socket drain: never queue a whole answer in memory.
                written.onComplete(r -> next(i + 1));
            } else {
                vertx.setTimer(pace.toMillis(), t -> next(i + 1));
            }
        }

        private void finish() {
            response.end();
        }

        private Future<Void> send(String data) {
            return ByteWriter.write(response, "data: " + data + eol + eol, split);
        }

        private String chunk(String content, String finishReason) {
            ObjectNode chunk = JSON.createObjectNode()
                    .put("id", id)
                    .put("object", "chat.completion.chunk")
                    .put("created", System.currentTimeMillis() / 1000)
                    .put("model", model);
            ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
            ObjectNode delta = choice.putObject("delta");
            if (content != null) {
                delta.put("content", content);
            }
            if (finishReason == null) {
                choice.putNull("finish_reason");
            } else {
                choice.put("finish_reason", finishReason);
            }
            return chunk.toString();
        }

        private String usageChunk() {
            ObjectNode chunk = JSON.createObjectNode()
                    .put("id", id)
                    .put("object", "chat.completion.chunk")
                    .put("created", System.currentTimeMillis() / 1000)
                    .put("model", model);
            chunk.putArray("choices");
            chunk.putObject("usage")
                    .put("prompt_tokens", promptTokens)
                    .put("completion_tokens", tokens.size())
                    .put("total_tokens", promptTokens + tokens.size());
            return chunk.toString();
        }
    }

    private static String lastUserMessage(JsonNode body) {
        JsonNode messages = body.path("messages");
        String last = "";
        if (messages instanceof ArrayNode array) {
            for (JsonNode m : array) {
                if ("user".equals(m.path("role").asText())) {
                    last = m.path("content").asText("");
                }
            }
        }
        return last;
    }

    private static int countWords(String text) {
        return text.isBlank() ? 0 : text.trim().split("\\s+").length;
    }

    private static void error(HttpServerResponse response, int status, String message, String type, String code) {
        ObjectNode error = JSON.createObjectNode();
        error.putObject("error")
                .put("message", message)
                .put("type", type)
                .putNull("param")
                .put("code", code);
        response.setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(error.toString());
    }
}
