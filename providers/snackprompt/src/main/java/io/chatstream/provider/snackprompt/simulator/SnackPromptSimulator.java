package io.chatstream.provider.snackprompt.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatstream.simulator.HttpSimulator;
import io.chatstream.simulator.common.ByteWriter;
import io.chatstream.simulator.common.OpenStreams;
import io.chatstream.simulator.common.ScriptedAnswer;
import io.chatstream.simulator.common.SimSwitches;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The SnackPrompt AI Engine's {@code POST /v1/kb/chat/stream} as documented: {@code x-api-key},
 * body {@code {query, filters: {tenant_id}}} (both required, else 400 {@code {"detail": …}}),
 * answered with {@code text/event-stream}: {@code data: {"event":"message","data":{"content":…}}}
 * per token, {@code data: {"event":"error","data":{"message":…}}} for an error during the stream,
 * and {@code data: [DONE]} at the end. Errors before the stream are {@code {"detail": …}} with
 * their HTTP status (429 with {@code Retry-After}).
 *
 * <p>Switches ({@link SimSwitches}, per message by {@code #sim:…} in the query): {@code tokens},
 * {@code pace}, {@code status}, {@code retry-after}, {@code error-after=N} (the in-band error
 * event, then {@code [DONE]}), {@code cut-after=N}, {@code stall-after=N}, {@code
 * malformed-after=N}, {@code split} (one byte per write), {@code crlf} / {@code cr} (line endings),
 * {@code comments} ({@code :} keep-alive lines), {@code sse-event} (each event also names itself
 * in an SSE {@code event:} field), {@code multiline} (the JSON spread over several {@code data:}
 * lines), {@code no-final-blank} (the body ends right after {@code data: [DONE]}, without the blank
 * line).
 */
public final class SnackPromptSimulator extends HttpSimulator {

    static final String PATH = "/v1/kb/chat/stream";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String apiKey;
    private final Map<String, String> defaults;
    private final OpenStreams openStreams = new OpenStreams();
    private final Deque<JsonNode> received = new ConcurrentLinkedDeque<>();
    /**
     * @param apiKey the accepted {@code x-api-key}; null accepts any
     * @param defaults switches that apply unless a message overrides them
     */
    public SnackPromptSimulator(Vertx vertx, String apiKey, Map<String, String> defaults) {
        super(vertx);
        this.apiKey = apiKey;
        this.defaults = defaults;
    }

    /** Streams still open: a cancelled or abandoned stream must go back to zero. */
    public int openStreams() {
        return openStreams.count();
    }

    /** The bodies of the last (at most 100) chat requests, oldest first. */
    public List<JsonNode> receivedBodies() {
        return List.copyOf(received);
    }

    @Override
    protected void handle(HttpServerRequest request) {
        if (!request.path().endsWith(PATH)) {
            detail(request.response(), 404, "Not Found");
            return;
        }
        if (!request.method().name().equals("POST")) {
            detail(request.response(), 405, "Method Not Allowed");
            return;
        }
        request.body().onSuccess(body -> respond(request, body)).onFailure(e -> request.connection()
                .close());
    }

    private void respond(HttpServerRequest request, Buffer body) {
        HttpServerResponse response = request.response();
        if (apiKey != null && !apiKey.equals(request.getHeader("x-api-key"))) {
            detail(response, 401, "Invalid API key");
            return;
        }
        JsonNode json;
        try {
            json = JSON.readTree(body.getBytes());
        } catch (Exception e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            detail(response, 422, "Invalid data: the body must be a JSON object");
            return;
        }
        if (!json.path("query").isTextual() || json.path("query").asText().isBlank()) {
            detail(response, 400, "query is required");
            return;
        }
        if (!json.path("filters").path("tenant_id").isTextual()) {
            detail(response, 400, "tenant_id is required in filters");
            return;
        }
        received.addLast(json);
        while (received.size() > 100) {
            received.pollFirst();
        }
        String query = json.path("query").asText();
        SimSwitches sw = SimSwitches.of(defaults, query);
        int status = sw.integer("status", 200);
        if (status != 200) {
            if (status == 429) {
                response.putHeader("Retry-After", sw.get("retry-after").orElse("1"));
            }
            detail(response, status, status == 429 ? "Rate limit exceeded" : "Simulated error " + status);
            return;
        }
        List<String> tokens = ScriptedAnswer.tokens(SimSwitches.stripDirectives(query), sw.integer("tokens", 12));
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        Runnable ended = openStreams.track(response);
        new Stream(response, sw, tokens, ended).next(0);
    }

    /** One streamed answer: a timer per token, so many streams share one event loop. */
    private final class Stream {
        private final HttpServerResponse response;
        private final SimSwitches sw;
        private final List<String> tokens;
        private final Runnable ended;
        private final Duration pace;
        private final String eol;
        private final boolean split;

        Stream(HttpServerResponse response, SimSwitches sw, List<String> tokens, Runnable ended) {
            this.response = response;
            this.sw = sw;
            this.tokens = tokens;
            this.ended = ended;
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
                return;
            }
            if (i == sw.integer("error-after", -1)) {
                ObjectNode error = JSON.createObjectNode().put("event", "error");
                error.putObject("data").put("message", "Simulated error during streaming");
                send("error", error.toString());
                send(null, "[DONE]");
                response.end();
                return;
            }
            if (i == sw.integer("malformed-after", -1)) {
                send("message", "{\"event\":\"message\",\"data\":{\"content\":");
                response.end();
                return;
            }
            if (i == tokens.size()) {
                if (sw.on("no-final-blank")) {
                    ByteWriter.write(response, "data: [DONE]" + eol, split);
                } else {
                    send(null, "[DONE]");
                }
                response.end();
                return;
            }
            if (sw.on("comments")) {
                ByteWriter.write(response, ": ping" + eol + eol, split);
            }
            ObjectNode message = JSON.createObjectNode().put("event", "message");
            message.putObject("data").put("content", tokens.get(i));
            Future<Void> written = send("message", message.toString());
            if (pace.isZero()) {
                written.onComplete(r -> next(i + 1));
            } else {
                vertx.setTimer(pace.toMillis(), t -> next(i + 1));
            }
        }

        private Future<Void> send(String eventName, String data) {
            StringBuilder frame = new StringBuilder();
            if (sw.on("sse-event") && eventName != null) {
                frame.append("event: ").append(eventName).append(eol);
            }
            if (sw.on("multiline") && data.startsWith("{")) {
                // Split after each comma of the top level and before "data": still the same JSON once joined with \n.
                for (String line : data.replace(",\"data\":", ",\n\"data\":").split("\n")) {
                    frame.append("data: ").append(line).append(eol);
                }
            } else {
                frame.append("data: ").append(data).append(eol);
            }
            frame.append(eol);
            return ByteWriter.write(response, frame.toString(), split);
        }
    }

    private static void detail(HttpServerResponse response, int status, String detail) {
        response.setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(JSON.createObjectNode().put("detail", detail).toString());
    }
}
