package io.chatstream.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatstream.contract.event.EventJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One user's view of a session across many connections, as a browser tab that keeps losing its
 * network: every frame of every connection, in order, and the last cursor to resume with. A
 * connection that was dropped adds nothing more, even if frames were still on their way.
 */
final class ResumableStream {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String sessionId;
    private final String token;
    private final List<JsonNode> frames = new ArrayList<>();
    private Listener current;
    private int connections;

    ResumableStream(String sessionId, String token) {
        this.sessionId = sessionId;
        this.token = token;
    }

    /** Connects to the replica on {@code port}, with the last cursor received if there is one. */
    void connect(int port) {
        String cursor = lastCursor();
        String url = "ws://127.0.0.1:" + port + "/v1/sessions/" + sessionId + "/stream?token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8)
                + (cursor == null ? "" : "&cursor=" + cursor);
        Listener listener = new Listener();
        synchronized (this) {
            current = listener;
            connections++;
        }
        listener.socket = HTTP.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(url), listener)
                .join();
    }

    /** Drops the connection at once (no close handshake), as a lost network does. */
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

    /** The close code of the current connection, once the server closed it. */
    CompletableFuture<Integer> closed() {
        synchronized (this) {
            return current.closeCode;
        }
    }

    /** Whether every one of {@code messageIds} has its terminal event. */
    synchronized boolean ended(List<String> messageIds) {
        return messageIds.stream().allMatch(id -> frames.stream()
                .anyMatch(f -> id.equals(f.path("messageId").asText()) && StreamClient.isTerminal(f)));
    }

    private final class Listener implements WebSocket.Listener {

        final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        final StringBuilder partial = new StringBuilder();
        volatile WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonNode frame;
                try {
                    frame = EventJson.mapper().readTree(partial.toString());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                partial.setLength(0);
                synchronized (ResumableStream.this) {
                    if (current == this) {
                        frames.add(frame);
                    }
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.completeExceptionally(error);
        }
    }
}
