package io.chatstream.provider.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A vendor that closes a kept-alive connection just as the next request goes out on it, as servers
 * do on their own idle timeout: its first connection answers its first request, then closes on the
 * second; every later connection answers whatever it gets. Raw TCP, so that the close lands exactly
 * there. A provider passes when its second call still succeeds, sent again on a new connection.
 */
public final class ClosingVendor implements AutoCloseable {

    private final NetServer server;
    private final AtomicInteger connections = new AtomicInteger();
    private final int port;

    private ClosingVendor(Vertx vertx, String response) throws Exception {
        server = vertx.createNetServer().connectHandler(socket -> {
            int connection = connections.incrementAndGet();
            AtomicInteger requests = new AtomicInteger();
            StringBuilder received = new StringBuilder();
            socket.handler(bytes -> {
                received.append(bytes.toString(StandardCharsets.ISO_8859_1));
                int length;
                while ((length = wholeRequestLength(received)) > 0) {
                    received.delete(0, length);
                    if (connection == 1 && requests.incrementAndGet() == 2) {
                        socket.close();
                        return;
                    }
                    socket.write(Buffer.buffer(response));
                }
            });
        });
        port = server.listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get()
                .actualPort();
    }

    /** Listens on a free port and answers every request with {@code response} (a whole HTTP/1.1 response). */
    public static ClosingVendor start(Vertx vertx, String response) throws Exception {
        return new ClosingVendor(vertx, response);
    }

    /** A {@code 200} JSON response with this body. */
    public static String json(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    public int port() {
        return port;
    }

    /** TCP connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get();
    }

    /** The length of the first whole request (head and Content-Length body) received, or 0. */
    private static int wholeRequestLength(StringBuilder received) {
        int headEnd = received.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return 0;
        }
        String head = received.substring(0, headEnd).toLowerCase(Locale.ROOT);
        int at = head.indexOf("content-length:");
        int bodyLength = at < 0
                ? 0
                : Integer.parseInt(head.substring(at + 15).split("\r\n")[0].trim());
        int total = headEnd + 4 + bodyLength;
        return received.length() >= total ? total : 0;
    }
}
