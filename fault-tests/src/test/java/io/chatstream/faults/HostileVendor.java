package io.chatstream.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenAI-compatible vendor that misbehaves beyond what the simulators' switches do, chosen by
 * {@code #hostile:<kind>} in the message: {@code huge-line} (48 MiB without a line end), {@code
 * huge-delta} (one well-formed 2 MiB token), {@code flood} (20,000 tokens as fast as the socket
 * takes them), {@code latin1} (ISO-8859-1 bytes where UTF-8 is due), {@code garbage} (random
 * binary), {@code drip} (one byte a second, never an event).
 */
final class HostileVendor {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern KIND = Pattern.compile("#hostile:([a-z0-9-]+)");

    private final Vertx vertx;
    private HttpServer server;

    HostileVendor(Vertx vertx) {
        this.vertx = vertx;
    }

    int listen() throws Exception {
        server = vertx.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> {
                    String text;
                    try {
                        JsonNode messages = JSON.readTree(body.getBytes()).path("messages");
                        text = messages.get(messages.size() - 1).path("content").asText();
                    } catch (Exception e) {
                        request.response().setStatusCode(400).end();
                        return;
                    }
                    Matcher m = KIND.matcher(text);
                    HttpServerResponse response =
                            request.response().setChunked(true).putHeader("content-type", "text/event-stream");
                    serve(m.find() ? m.group(1) : "flood", response);
                }));
        return server.listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get()
                .actualPort();
    }

    private void serve(String kind, HttpServerResponse response) {
        switch (kind) {
            case "huge-line" -> {
                response.write("data: ");
                pump(response, Buffer.buffer("a".repeat(64 * 1024)), 48 * 16, null);
            }
            case "huge-delta" -> {
                response.write(chunk("x".repeat(2 * 1024 * 1024)));
                response.end("data: [DONE]\n\n");
            }
            case "flood" -> pump(response, Buffer.buffer(chunk("ab")), 20_000, "data: [DONE]\n\n");
            case "latin1" -> {
                response.write(chunk("ok "));
                response.write(Buffer.buffer(
                        ("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"caf\u00e9 na\u00efve\"}}]}\n\n")
                                .getBytes(StandardCharsets.ISO_8859_1)));
                response.end("data: [DONE]\n\n");
            }
            case "garbage" -> {
                byte[] bytes = new byte[256 * 1024];
                new java.util.Random(42).nextBytes(bytes);
                response.end(Buffer.buffer(bytes));
            }
            case "drip" -> drip(response, 0);
            default -> response.setStatusCode(400).end();
        }
    }

    /** Writes {@code piece} {@code times} times, as fast as the peer reads; then {@code last}. */
    private void pump(HttpServerResponse response, Buffer piece, int times, String last) {
        for (int i = 0; i < times; i++) {
            if (response.closed()) {
                return;
            }
            if (response.writeQueueFull()) {
                int left = times - i;
                response.drainHandler(v -> pump(response, piece, left, last));
                return;
            }
            response.write(piece);
        }
        if (last != null) {
            response.end(last);
        } else {
            response.end();
        }
    }

    /** One byte a second for at most two minutes: a vendor that is there but never says anything. */
    private void drip(HttpServerResponse response, int sent) {
        if (response.closed() || sent >= 120) {
            if (!response.closed()) {
                response.end();
            }
            return;
        }
        response.write(":");
        vertx.setTimer(1000, t -> drip(response, sent + 1));
    }

    private static String chunk(String content) {
        return "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":" + quote(content) + "}}]}\n\n";
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void close() {
        if (server != null) {
            server.close();
        }
    }
}
