package io.chatstream.provider.chatbase.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Chatbase chat API: {@code POST /api/v1/chat} {@code {messages: [{content, role}], chatbotId,
 * stream, temperature?, conversationId?}} with {@code Authorization: Bearer …}. It keeps no state:
 * the answer depends on the last user message, and the earlier turns are whatever the client sent.
 * With {@code stream: true} the answer is raw text in HTTP chunks ({@code text/plain}, as the
 * official examples read it), ending with the body; without, {@code {"text": …}}. Errors are
 * non-2xx with {@code {"message": …}}.
 *
 * <p>Switches ({@link SimSwitches}; defaults from the constructor, overridden per message by {@code
 * #sim:…} in the last user message): the common {@code tokens}, {@code pace}, {@code status}
 * (+{@code retry-after}), {@code cut-after} (connection reset before the last chunk), {@code
 * stall-after}, {@code split} (one byte per write); and the variants of NOTES.md: {@code sse} (the
 * {@code text/event-stream} framing: a {@code data:} event per piece, {@code data: [DONE]} at the
 * end) and {@code chat-id} (only the older docs' {@code chatId} names the chatbot; otherwise only
 * {@code chatbotId} does). Raw text has no frames of its own, hence: {@code error-after} resets the
 * connection in raw mode (the only way a raw body can break off) and sends {@code event: error} with
 * {@code {"message"}} in SSE mode; {@code malformed-after} sends bytes that are not UTF-8.
 */
public final class ChatbaseSimulator extends HttpSimulator {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String apiKey;
    private final Map<String, String> defaults;
    private final AtomicInteger requests = new AtomicInteger();
    private final OpenStreams openStreams = new OpenStreams();
    private final Deque<JsonNode> received = new ConcurrentLinkedDeque<>();

    /**
     * @param apiKey the accepted Bearer key; null accepts any
     * @param defaults switches that apply unless a message overrides them
     */
    public ChatbaseSimulator(Vertx vertx, String apiKey, Map<String, String> defaults) {
        super(vertx);
        this.apiKey = apiKey;
        this.defaults = defaults;
    }

    public int requests() {
        return requests.get();
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
        if (!"/api/v1/chat".equals(request.path())
                || !"POST".equals(request.method().name())) {
            error(request.response(), 404, "Not found");
            return;
        }
        requests.incrementAndGet();
        request.body().onSuccess(body -> respond(request, body)).onFailure(e -> request.connection()
                .close());
    }

    private void respond(HttpServerRequest request, Buffer body) {
        HttpServerResponse response = request.response();
        if (apiKey != null && !("Bearer " + apiKey).equals(request.getHeader("Authorization"))) {
            error(response, 401, "Unauthorized");
            return;
        }
        JsonNode json;
        try {
            json = JSON.readTree(body.getBytes());
        } catch (Exception e) {
            error(response, 400, "Invalid JSON body");
            return;
        }
        if (json == null
                || !json.path("messages").isArray()
                || json.path("messages").isEmpty()) {
            error(response, 400, "messages is required");
            return;
        }
        received.addLast(json);
        while (received.size() > 100) {
            received.pollFirst();
        }
        JsonNode messages = json.get("messages");
        JsonNode last = messages.get(messages.size() - 1);
        if (!"user".equals(last.path("role").asText()) || !last.path("content").isTextual()) {
            error(response, 400, "The last message must be the user's");
            return;
        }
        String question = last.get("content").asText();
        SimSwitches sw = SimSwitches.of(defaults, question);
        String idField = sw.on("chat-id") ? "chatId" : "chatbotId";
        if (json.path(idField).asText("").isBlank()) {
            error(response, 400, idField + " is required");
            return;
        }
        int status = sw.integer("status", 200);
        if (status != 200) {
            if (status == 429) {
                response.putHeader("Retry-After", sw.get("retry-after").orElse("1"));
            }
            error(response, status, "Simulated error " + status);
            return;
        }
        List<String> tokens = ScriptedAnswer.tokens(SimSwitches.stripDirectives(question), sw.integer("tokens", 12));
        if (!json.path("stream").asBoolean(false)) {
            response.putHeader("Content-Type", "application/json")
                    .end(JSON.createObjectNode()
                            .put("text", String.join("", tokens))
                            .toString());
            return;
        }
        boolean sse = sw.on("sse");
        response.setChunked(true)
                .putHeader("Content-Type", sse ? "text/event-stream; charset=utf-8" : "text/plain; charset=utf-8");
        if (sse) {
            response.putHeader("Cache-Control", "no-cache");
        }
        Runnable ended = openStreams.track(response);
        new Stream(response, sw, tokens, sse, ended).next(0);
    }

    /** One streamed answer: a timer per token, so thousands of streams share one event loop. */
    private final class Stream {
        private final HttpServerResponse response;
        private final SimSwitches sw;
        private final List<String> tokens;
        private final boolean sse;
        private final boolean split;
        private final Duration pace;
        private final Runnable ended;

        Stream(HttpServerResponse response, SimSwitches sw, List<String> tokens, boolean sse, Runnable ended) {
            this.response = response;
            this.sw = sw;
            this.tokens = tokens;
            this.sse = sse;
            this.ended = ended;
            this.split = sw.on("split");
            this.pace = sw.duration("pace", Duration.ZERO);
        }

        void next(int i) {
            if (response.closed()) {
                return;
            }
            if (i == sw.integer("cut-after", -1) || (!sse && i == sw.integer("error-after", -1))) {
                // Chunked encoding broken before its last chunk. A reset stream gets no close
                // callback of its own: count it closed here.
                ended.run();
                response.reset();
                return;
            }
            if (i == sw.integer("stall-after", -1)) {
                return; // says nothing more; the connection stays open
            }
            if (i == sw.integer("error-after", -1)) {
                ByteWriter.write(response, "event: error\ndata: {\"message\":\"Simulated in-band error\"}\n\n", split);
                response.end();
                return;
            }
            if (i == sw.integer("malformed-after", -1)) {
                // Not UTF-8: a lead byte without its continuation, then a stray continuation byte.
                byte[] bad = {(byte) 0xC3, '(', (byte) 0x80};
                response.write(Buffer.buffer(sse ? concat("data: ".getBytes(), bad, "\n\n".getBytes()) : bad));
            }
            if (i == tokens.size()) {
                if (sse) {
                    ByteWriter.write(response, "data: [DONE]\n\n", split);
                }
                response.end();
                return;
            }
            Future<Void> written = ByteWriter.write(response, frame(tokens.get(i)), split);
            if (pace.isZero()) {
                written.onComplete(r -> next(i + 1));
            } else {
                vertx.setTimer(pace.toMillis(), t -> next(i + 1));
            }
        }

        /** Raw: the text itself. SSE: one {@code data:} line per line of the text, then a blank line. */
        private String frame(String text) {
            if (!sse) {
                return text;
            }
            StringBuilder frame = new StringBuilder();
            for (String line : text.split("\n", -1)) {
                frame.append("data: ").append(line).append('\n');
            }
            return frame.append('\n').toString();
        }
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    private static void error(HttpServerResponse response, int status, String message) {
        response.setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(JSON.createObjectNode().put("message", message).toString());
    }
}
