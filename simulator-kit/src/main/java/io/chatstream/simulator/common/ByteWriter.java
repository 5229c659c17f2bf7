package io.chatstream.simulator.common;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * Writes a frame to an HTTP response whole or, with the {@code split} switch, one byte per write
 * (with a flush between), so that a frame boundary, a line ending and a UTF-8 character all arrive
 * cut across network reads, as real proxies and TCP do.
 */
public final class ByteWriter {

    private ByteWriter() {}

    public static Future<Void> write(HttpServerResponse response, String frame, boolean split) {
        byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
        if (!split) {
            return response.write(Buffer.buffer(bytes));
        }
        Future<Void> last = Future.succeededFuture();
        for (byte b : bytes) {
            last = response.write(Buffer.buffer(new byte[] {b}));
        }
        return last;
    }
}
