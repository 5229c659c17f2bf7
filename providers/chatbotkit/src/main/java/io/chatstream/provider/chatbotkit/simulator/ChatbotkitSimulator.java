package io.chatstream.provider.chatbotkit.simulator;

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
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ChatBotKit conversation API as its SDKs and docs show it: {@code POST
 * /api/v1/conversation/create} → {@code {"id"}}, then {@code POST
 * /api/v1/conversation/{id}/complete} {@code {"text"}}, which with {@code Accept: application/jsonl}
 * streams one {@code {"type","data"}} object per line ({@code completeBegin}, {@code token}s,
 * {@code completeEnd}, {@code message}, {@code usage}, {@code result}) and otherwise answers the
 * {@code result} as one JSON object. Errors are {@code {"message","code"}} with their HTTP status.
 * Both {@code /api/v1/…} and {@code /v1/…} paths, and both {@code Bearer} and {@code Token}
 * credentials, are accepted unless a switch says otherwise.
 *
 * <p>Switches ({@link SimSwitches}; defaults from the constructor, overridden per message by {@code
 * #sim:…} in the text sent to {@code complete}, so they cannot change a {@code create}): the common
 * {@code tokens}, {@code pace}, {@code status} (+{@code retry-after}), {@code error-after} (an
 * in-band {@code error} line, then the body ends), {@code cut-after} (connection reset, no {@code
 * result}), {@code stall-after}, {@code malformed-after} (a line that is not JSON), {@code split}
 * (one byte per write); and the variants of NOTES.md: {@code token-auth} (only the older {@code
 * Authorization: Token …}), {@code no-api-prefix} (only the older paths without {@code /api}),
 * {@code crlf} (CRLF line endings), {@code blank-lines} (an empty line after every line), {@code
 * reasoning} ({@code reasoningToken} lines that are not part of the answer), {@code unknown-types}
 * (lines of types a connector does not know), {@code no-result} (ends after {@code completeEnd}
 * with no {@code result}), {@code final-differs} (the {@code result} text has a suffix the tokens
 * lacked), {@code end-reason} ({@code stop}, {@code length}, {@code abort}, {@code error} …).
 */
public final class ChatbotkitSimulator extends HttpSimulator {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern COMPLETE = Pattern.compile("^(/api)?/v1/conversation/([^/]+)/complete$");
    private static final Pattern CREATE = Pattern.compile("^(/api)?/v1/conversation/create$");
    /** What {@code final-differs} adds to the result's text. */
    public static final String FINAL_SUFFIX = " (edited)";

    private final String apiKey;
    private final Map<String, String> defaults;
    private final AtomicInteger requests = new AtomicInteger();
    private final OpenStreams openStreams = new OpenStreams();
    private final AtomicInteger conversationIds = new AtomicInteger();
    /** Conversation id → its messages so far ({@code user: …}, {@code bot: …}). */
    private final Map<String, List<String>> conversations = new ConcurrentHashMap<>();
    /** Completions received, newest last: conversation id and text. */
    private final Deque<Received> received = new ConcurrentLinkedDeque<>();

    /** One {@code complete} call as the simulator saw it. */
    public record Received(String conversationId, String text, String authorization, String path) {}

    /**
     * @param apiKey the accepted key; null accepts any
     * @param defaults switches that apply unless a message overrides them
     */
    public ChatbotkitSimulator(Vertx vertx, String apiKey, Map<String, String> defaults) {
        super(vertx);
        this.apiKey = apiKey;
        this.defaults = defaults;
    }

    /** Requests received so far (create and complete). */
    public int requests() {
        return requests.get();
    }

    /** Streams still open: a cancelled or abandoned stream must go back to zero. */
    public int openStreams() {
        return openStreams.count();
    }

    /** The last (at most 100) completions received, oldest first. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    /** The messages of a conversation so far ({@code user: …}, {@code bot: …}); empty if unknown. */
    public List<String> conversation(String id) {
        return List.copyOf(conversations.getOrDefault(id, List.of()));
    }

    /** Conversations created so far. */
    public int conversationsCreated() {
        return conversationIds.get();
    }

    @Override
    protected void handle(HttpServerRequest request) {
        requests.incrementAndGet();
        request.body().onSuccess(body -> route(request, body)).onFailure(e -> request.connection()
                .close());
    }

    private void route(HttpServerRequest request, Buffer body) {
        HttpServerResponse response = request.response();
        Matcher create = CREATE.matcher(request.path());
        Matcher complete = COMPLETE.matcher(request.path());
        boolean isCreate = create.matches();
        boolean isComplete = complete.matches();
        if (!isCreate && !isComplete || !"POST".equals(request.method().name())) {
            error(response, 404, "Not found", "NOT_FOUND");
            return;
        }
        JsonNode json;
        try {
            json = body.length() == 0 ? JSON.createObjectNode() : JSON.readTree(body.getBytes());
        } catch (Exception e) {
            error(response, 400, "The request body is not valid JSON", "BAD_REQUEST");
            return;
        }
        String text = isComplete ? json.path("text").asText("") : "";
        SimSwitches sw = SimSwitches.of(defaults, text);
        boolean hasApiPrefix = (isCreate ? create.group(1) : complete.group(1)) != null;
        if (hasApiPrefix && sw.on("no-api-prefix")) {
            error(response, 404, "Not found", "NOT_FOUND");
            return;
        }
        if (!authorized(request.getHeader("Authorization"), sw)) {
            error(response, 401, "Unauthorized", "UNAUTHORIZED");
            return;
        }
        if (isCreate) {
            String id = "cnv_sim" + conversationIds.incrementAndGet();
            conversations.put(id, new ArrayList<>());
            response.putHeader("Content-Type", "application/json")
                    .end(JSON.createObjectNode().put("id", id).toString());
            return;
        }
        String id = complete.group(2);
        List<String> history = conversations.get(id);
        if (history == null) {
            error(response, 404, "Conversation not found", "NOT_FOUND");
            return;
        }
        if (!json.path("text").isTextual()) {
            error(response, 400, "text is required", "BAD_REQUEST");
            return;
        }
        received.addLast(new Received(id, text, request.getHeader("Authorization"), request.path()));
        while (received.size() > 100) {
            received.pollFirst();
        }
        int status = sw.integer("status", 200);
        if (status != 200) {
            if (status == 429) {
                response.putHeader("Retry-After", sw.get("retry-after").orElse("1"));
            }
            error(response, status, "Simulated error " + status, status == 429 ? "TOO_MANY_REQUESTS" : "SIMULATED");
            return;
        }
        String question = SimSwitches.stripDirectives(text);
        List<String> tokens = ScriptedAnswer.tokens(question, sw.integer("tokens", 12));
        String answer = String.join("", tokens);
        synchronized (history) {
            history.add("user: " + question);
            history.add("bot: " + answer);
        }
        String accept = request.getHeader("Accept");
        if (accept == null || !accept.contains("application/jsonl")) {
            response.putHeader("Content-Type", "application/json")
                    .end(result(id, answer, sw, tokens.size(), countWords(question))
                            .toString());
            return;
        }
        response.setChunked(true).putHeader("Content-Type", "application/jsonl; charset=utf-8");
        Runnable ended = openStreams.track(response);
        new Stream(response, sw, id, tokens, countWords(question), ended).start();
    }

    private boolean authorized(String header, SimSwitches sw) {
        if (apiKey == null) {
            return header != null;
        }
        if (("Token " + apiKey).equals(header)) {
            return true;
        }
        return !sw.on("token-auth") && ("Bearer " + apiKey).equals(header);
    }

    /** One streamed answer: a timer per token, so thousands of streams share one event loop. */
    private final class Stream {
        private final HttpServerResponse response;
        private final SimSwitches sw;
        private final String conversationId;
        private final List<String> tokens;
        private final int inputTokens;
        private final Duration pace;
        private final String eol;
        private final boolean split;
        private final Runnable ended;

        Stream(
                HttpServerResponse response,
                SimSwitches sw,
                String conversationId,
                List<String> tokens,
                int inputTokens,
                Runnable ended) {
            this.response = response;
            this.sw = sw;
            this.conversationId = conversationId;
            this.tokens = tokens;
            this.inputTokens = inputTokens;
            this.ended = ended;
            this.pace = sw.duration("pace", Duration.ZERO);
            this.eol = (sw.on("crlf") ? "\r\n" : "\n") + (sw.on("blank-lines") ? (sw.on("crlf") ? "\r\n" : "\n") : "");
            this.split = sw.on("split");
        }

        void start() {
            line("completeBegin", JSON.createObjectNode());
            next(0);
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
                line(
                        "error",
                        JSON.createObjectNode()
                                .put("message", "Simulated in-band error")
                                .put("code", "SIMULATED"));
                response.end();
                return;
            }
            if (i == sw.integer("malformed-after", -1)) {
                write("{\"type\":\"token\",\"data\":{\"tok" + eol);
                response.end();
                return;
            }
            if (i == tokens.size()) {
                finish();
                return;
            }
            if (sw.on("reasoning")) {
                line("reasoningToken", JSON.createObjectNode().put("token", " thinking" + i));
            }
            if (sw.on("unknown-types")) {
                line(
                        "toolCallBegin",
                        JSON.createObjectNode().put("name", "lookup").put("text", " not the answer"));
            }
            Future<Void> written = line("token", JSON.createObjectNode().put("token", tokens.get(i)));
            if (pace.isZero()) {
                written.onComplete(r -> next(i + 1));
            } else {
                vertx.setTimer(pace.toMillis(), t -> next(i + 1));
            }
        }

        private void finish() {
            String answer = String.join("", tokens);
            line("completeEnd", JSON.createObjectNode());
            line(
                    "message",
                    JSON.createObjectNode()
                            .put("id", "msg_sim")
                            .put("type", "bot")
                            .put("text", answer));
            if (!sw.on("no-usage")) {
                line(
                        "usage",
                        JSON.createObjectNode()
                                .put("model", "sim-model")
                                .put("inputTokensUsed", inputTokens)
                                .put("outputTokensUsed", tokens.size()));
            }
            if (!sw.on("no-result")) {
                line("result", result(conversationId, answer, sw, tokens.size(), inputTokens));
            }
            response.end();
        }

        private Future<Void> line(String type, ObjectNode data) {
            ObjectNode event = JSON.createObjectNode().put("type", type);
            event.set("data", data);
            return write(event + eol);
        }

        private Future<Void> write(String text) {
            return ByteWriter.write(response, text, split);
        }
    }

    private static ObjectNode result(String conversationId, String answer, SimSwitches sw, int output, int input) {
        ObjectNode result = JSON.createObjectNode()
                .put("id", "msg_sim_" + conversationId)
                .put("text", sw.on("final-differs") ? answer + FINAL_SUFFIX : answer);
        result.putObject("usage").put("token", input + output);
        result.putObject("end").put("reason", sw.get("end-reason").orElse("stop"));
        return result;
    }

    private static int countWords(String text) {
        return text.isBlank() ? 0 : text.trim().split("\\s+").length;
    }

    private static void error(HttpServerResponse response, int status, String message, String code) {
        response.setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(JSON.createObjectNode()
                        .put("message", message)
                        .put("code", code)
                        .toString());
    }
}
