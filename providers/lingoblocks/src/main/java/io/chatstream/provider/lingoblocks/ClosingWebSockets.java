package io.chatstream.provider.lingoblocks;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * OkHttp websockets for the socket.io client that answer the server's close frame. The stock
 * engine.io client only listens to {@code onClosed}, which OkHttp calls once both sides have sent
 * their close frame, and never sends its own: a server that closes the websocket would go unnoticed
 * until it drops the TCP connection (10 to 30 s later, depending on the server). Here the client
 * answers the close at once, so the socket's end is seen at once.
 */
final class ClosingWebSockets implements WebSocket.Factory {

    private final OkHttpClient http;

    ClosingWebSockets(OkHttpClient http) {
        this.http = http;
    }

    @Override
    public WebSocket newWebSocket(Request request, WebSocketListener listener) {
        return http.newWebSocket(request, new WebSocketListener() {
            @Override
            public void onOpen(WebSocket webSocket, Response response) {
                listener.onOpen(webSocket, response);
            }

            @Override
            public void onMessage(WebSocket webSocket, String text) {
                listener.onMessage(webSocket, text);
            }

            @Override
            public void onMessage(WebSocket webSocket, ByteString bytes) {
                listener.onMessage(webSocket, bytes);
            }

            @Override
            public void onClosing(WebSocket webSocket, int code, String reason) {
                webSocket.close(code == 1005 || code == 1006 ? 1000 : code, null);
                listener.onClosing(webSocket, code, reason);
            }

            @Override
            public void onClosed(WebSocket webSocket, int code, String reason) {
                listener.onClosed(webSocket, code, reason);
            }

            @Override
            public void onFailure(WebSocket webSocket, Throwable t, Response response) {
                listener.onFailure(webSocket, t, response);
            }
        });
    }
}
