package io.chatstream.provider.aui.simulator;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketFrame;
import java.nio.charset.StandardCharsets;

/**
 * Writes one text message whole or, with the {@code split} switch, fragmented as RFC 6455 §5.4
 * allows: a first text frame with the first character, then one continuation frame per byte, so
 * that a UTF-8 character is cut across frames (a WebSocket carries messages, not bytes: only the
 * reassembled message must be valid UTF-8).
 */
final class AuiFrames {

    private AuiFrames() {}

    static Future<Void> write(WebSocketBase ws, String message, boolean split) {
        if (!split || message.isEmpty()) {
            return ws.writeTextMessage(message);
        }
        int first = message.offsetByCodePoints(0, 1);
        String head = message.substring(0, first);
        byte[] rest = message.substring(first).getBytes(StandardCharsets.UTF_8);
        Future<Void> last = ws.writeFrame(WebSocketFrame.textFrame(head, rest.length == 0));
        for (int i = 0; i < rest.length; i++) {
            last = ws.writeFrame(
                    WebSocketFrame.continuationFrame(Buffer.buffer(new byte[] {rest[i]}), i == rest.length - 1));
        }
        return last;
    }
}
