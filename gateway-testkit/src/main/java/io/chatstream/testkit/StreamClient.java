package io.chatstream.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatstream.contract.event.EventJson;
import java.io.IOException;
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
import java.util.concurrent.TimeUnit;

/**
 * One user's view of a session stream across connections (the JDK's WebSocket client), as a browser
 * tab that keeps losing its network: every frame of every connection, in order, and the last cursor
 * to resume with. {@link #connect(int)} opens the session's stream on a session-service replica,
 * resuming after the last cursor received; {@link #open(String)} opens one given URL (a 202's
 * {@code streamUrl}, a refused token). A connection that was dropped adds nothing more, even if
 * frames were still on their way.
 */
public final class StreamClient implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String sessionId;
    private final String token;
    private final List<JsonNode> frames = new ArrayList<>();
    private Connection current;
    private int connections;

    /** A client of the session's stream with this stream token; not connected yet. */
    public StreamClient(String sessionId, String token) {
        this.sessionId = sessionId;
        this.token = token;
    }

    /** One connection to {@code url}, as a client that was handed the URL does. */
    public static StreamClient open(String url) {
        return new StreamClient(null, null).connect(url);
    }

    /** Connects to the replica on {@code port}, with the last cursor received if there is one. */
    public StreamClient connect(int port) {
        return connect(port, null);
    }

    /**
     * Connects to the replica on {@code port} as an app that awaits {@code fromMessageId} does:
     * with the last cursor received, or, before the first frame, with {@code from=} that message
     * (without either, a message that ended while the client was away is not replayed).
     */
    public StreamClient connect(int port, String fromMessageId) {
        String cursor = lastCursor();
        String resume = cursor != null ? "&cursor=" + cursor : fromMessageId != null ? "&from=" + fromMessageId : "";
        return connect("ws://127.0.0.1:" + port + "/v1/sessions/" + sessionId + "/stream?token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8)
                + resume);
    }

    /** Connects to {@code url}; frames of this connection are added to those of the earlier ones. */
    public StreamClient connect(String url) {
        Connection connection = new Connection();
        synchronized (this) {
            current = connection;
            connections++;
        }
        connection.socket = HTTP.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(url), connection)
                .join();
        return this;
    }

    /** Drops the connection at once (no close handshake), as a lost network does. */
    public void drop() {
        Connection dropped;
        synchronized (this) {
            dropped = current;
            current = null;
        }
        if (dropped != null && dropped.socket != null) {
            dropped.socket.abort();
        }
    }

    /** Closes the connection normally (1000); frames still arriving are kept. */
    @Override
    public void close() {
        Connection connection;
        synchronized (this) {
            connection = current;
        }
        if (connection != null && connection.socket != null && !connection.socket.isOutputClosed()) {
            connection.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
    }

    /** Whether the server closed (or broke) the current connection, or there is none. */
    public synchronized boolean disconnected() {
        return current == null || current.closeCode.isDone();
    }

    /** The close code of the current connection, once the server closed it (exceptionally: it broke). */
    public synchronized CompletableFuture<Integer> closed() {
        return current.closeCode;
    }

    public int awaitClose(Duration timeout) throws Exception {
        return closed().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The reason the server gave when it closed the current connection; null before. */
    public synchronized String closeReason() {
        return current == null ? null : current.closeReason;
    }

    public synchronized String lastCursor() {
        for (int i = frames.size() - 1; i >= 0; i--) {
            if (frames.get(i).has("cursor")) {
                return frames.get(i).get("cursor").asText();
            }
        }
        return null;
    }

    public synchronized List<JsonNode> frames() {
        return new ArrayList<>(frames);
    }

    public synchronized int connections() {
        return connections;
    }

    /** The frames of one message so far. */
    public synchronized List<JsonNode> framesOf(String messageId) {
        return frames.stream()
                .filter(frame -> messageId.equals(frame.path("messageId").asText()))
                .toList();
    }

    /** Whether every one of {@code messageIds} has its terminal event. */
    public synchronized boolean ended(List<String> messageIds) {
        return messageIds.stream().allMatch(id -> frames.stream()
                .anyMatch(f -> id.equals(f.path("messageId").asText()) && isTerminal(f)));
    }

    /** The frames of one message, once its terminal event has arrived. */
    public List<JsonNode> awaitMessage(String messageId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<JsonNode> of = framesOf(messageId);
            if (!of.isEmpty() && isTerminal(of.get(of.size() - 1))) {
                return of;
            }
            ChildProcess.sleep(20);
        }
        throw new AssertionError(
                "no terminal event for " + messageId + " within " + timeout + "; got " + framesOf(messageId));
    }

    public static boolean isTerminal(JsonNode frame) {
        return isTerminal(frame.path("type").asText());
    }

    /** completed, failed or cancelled: the one event that ends a message. */
    public static boolean isTerminal(String type) {
        return type.equals("message.completed") || type.equals("message.failed") || type.equals("message.cancelled");
    }

    private final class Connection implements WebSocket.Listener {

        final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        final StringBuilder partial = new StringBuilder();
        volatile String closeReason;
        volatile WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode frame = EventJson.mapper().readTree(partial.toString());
                    synchronized (StreamClient.this) {
                        if (current == this) {
                            frames.add(frame);
                        }
                    }
                } catch (IOException e) {
                    closeCode.completeExceptionally(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeReason = reason;
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.completeExceptionally(error);
        }
    }
}
