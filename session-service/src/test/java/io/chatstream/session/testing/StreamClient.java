package io.chatstream.session.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatstream.contract.event.EventJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A real WebSocket client (the JDK's) that records every frame and the close it receives. */
public final class StreamClient implements WebSocket.Listener, AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<String> frames = new CopyOnWriteArrayList<>();
    private final List<Long> arrivalNanos = new CopyOnWriteArrayList<>();
    private final CompletableFuture<int[]> closeCode = new CompletableFuture<>();
    private final CompletableFuture<String> closeReason = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final boolean paused;
    private WebSocket socket;

    private StreamClient(boolean paused) {
        this.paused = paused;
    }

    public static StreamClient connect(URI uri) {
        return connect(uri, false);
    }

    /** A client that reads nothing until {@link #resume()}: the server's frames pile up. */
    public static StreamClient connectPaused(URI uri) {
        return connect(uri, true);
    }

    private static StreamClient connect(URI uri, boolean paused) {
        StreamClient client = new StreamClient(paused);
        try {
            client.socket = HTTP.newWebSocketBuilder().buildAsync(uri, client).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot connect to " + uri.getPath(), e);
        }
        return client;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        if (!paused) {
            webSocket.request(1);
        }
    }

    public void resume() {
        socket.request(Long.MAX_VALUE);
    }

    public int frameCount() {
        return frames.size();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            arrivalNanos.add(System.nanoTime());
            frames.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeReason.complete(reason);
        closeCode.complete(new int[] {statusCode});
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeCode.completeExceptionally(error);
    }

    /** Waits until at least {@code count} frames arrived; returns them parsed. */
    public List<JsonNode> awaitFrames(int count) {
        await().atMost(Duration.ofSeconds(15)).until(() -> frames.size() >= count);
        return parsed();
    }

    /** {@link System#nanoTime()} when each frame arrived, in frame order. */
    public List<Long> arrivalNanos() {
        return arrivalNanos;
    }

    public List<JsonNode> parsed() {
        List<JsonNode> nodes = new ArrayList<>();
        for (String frame : frames) {
            try {
                nodes.add(EventJson.mapper().readTree(frame));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return nodes;
    }

    public int awaitCloseCode() throws Exception {
        return closeCode.get(10, TimeUnit.SECONDS)[0];
    }

    public String closeReason() throws Exception {
        return closeReason.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }
}
