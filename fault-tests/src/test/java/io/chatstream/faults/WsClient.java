package io.chatstream.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatstream.contract.event.EventJson;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One user's view of a session stream across connections, as a browser tab that resumes with its
 * last cursor: every frame of every connection, in order. A dropped connection adds nothing more.
 */
final class WsClient {

    private final String sessionId;
    private final String token;
    private final List<JsonNode> frames = new ArrayList<>();
    private Listener current;
    private int connections;

    WsClient(String sessionId, String token) {
        this.sessionId = sessionId;
        this.token = token;
    }

    /** Connects to the replica on {@code port}, with the last cursor if there is one. */
    WsClient connect(int port) {
        String cursor = lastCursor();
        String url = "ws://127.0.0.1:" + port + "/v1/sessions/" + sessionId + "/stream?token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8)
                + (cursor == null ? "" : "&cursor=" + cursor);
        Listener listener = new Listener();
        synchronized (this) {
            current = listener;
            connections++;
        }
        listener.socket = Api.HTTP
                .newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(url), listener)
                .join();
        return this;
    }

    /** Drops the connection at once, as a lost network does. */
    void drop() {
        Listener dropped;
        synchronized (this) {
            dropped = current;
            current = null;
        }
        if (dropped != null && dropped.socket != null) {
            dropped.socket.abort();
        }
    }

    /** Whether the server closed (or broke) the current connection. */
    synchronized boolean disconnected() {
        return current == null || current.closed.isDone();
    }

    CompletableFuture<Integer> closed() {
        synchronized (this) {
            return current.closed;
        }
    }

    synchronized String lastCursor() {
        for (int i = frames.size() - 1; i >= 0; i--) {
            if (frames.get(i).has("cursor")) {
                return frames.get(i).get("cursor").asText();
            }
        }
        return null;
    }

    synchronized List<JsonNode> frames() {
        return new ArrayList<>(frames);
    }

    synchronized int connections() {
        return connections;
    }

    synchronized boolean ended(List<String> messageIds) {
        return messageIds.stream().allMatch(id -> frames.stream()
                .anyMatch(f -> id.equals(f.path("messageId").asText())
                        && EventLog.isTerminal(f.path("type").asText())));
    }

    private final class Listener implements WebSocket.Listener {

        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        final StringBuilder partial = new StringBuilder();
        volatile WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode frame = EventJson.mapper().readTree(partial.toString());
                    synchronized (WsClient.this) {
                        if (current == this) {
                            frames.add(frame);
                        }
                    }
                } catch (IOException e) {
                    closed.completeExceptionally(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }

    /**
     * Frames, merged deltas expanded into the seqs they cover, as (messageId, seq, type), which
     * must equal what Kafka holds of the same messages.
     */
    static List<String> expand(List<JsonNode> frames) {
        List<String> out = new ArrayList<>();
        for (JsonNode frame : frames) {
            if (!frame.has("messageId")) {
                continue;
            }
            long seq = frame.path("seq").asLong();
            long from = frame.has("fromSeq") ? frame.get("fromSeq").asLong() : seq;
            for (long s = from; s <= seq; s++) {
                out.add(frame.path("messageId").asText() + "#" + s + " "
                        + frame.path("type").asText());
            }
        }
        return out;
    }

    /** What Kafka holds of {@code messageIds}, in the same form as {@link #expand}. */
    static List<String> expected(EventLog log, List<String> messageIds) {
        List<String> out = new ArrayList<>();
        for (String id : messageIds) {
            log.of(id).forEach(e -> out.add(id + "#" + e.seq() + " " + e.type()));
        }
        return out;
    }
}
