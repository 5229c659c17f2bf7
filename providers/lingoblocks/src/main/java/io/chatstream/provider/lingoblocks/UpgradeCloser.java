package io.chatstream.provider.lingoblocks;

import io.socket.engineio.client.transports.WebSocket;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The Engine.IO close that the stock Java client leaves out when its connection fails during the
 * websocket upgrade. While it upgrades, the client pauses its polling transport; a failure then (a
 * packet that cannot be parsed, arriving on the last poll) closes the client, but closing a paused
 * polling transport sends nothing, and the probe websocket is not the session's transport yet, so
 * the server keeps the session until its ping timeout (45 s with the defaults): on a busy machine
 * the contract test saw a session outlive its message. After such a failure this sends the close
 * packet ({@code 1}) as the polling transport would have; where the session had ended already the
 * server answers 400, which is harmless.
 */
final class UpgradeCloser {

    private static final MediaType TEXT = MediaType.parse("text/plain; charset=UTF-8");

    private final OkHttpClient http;
    private final LingoBlocksEndpoint endpoint;
    private final String token;
    private volatile String sid;

    UpgradeCloser(OkHttpClient http, LingoBlocksEndpoint endpoint, String token) {
        this.http = http;
        this.endpoint = endpoint;
        this.token = token;
    }

    /** A websocket probe of the session began: its query names the session. */
    void probing(WebSocket probe) {
        if (probe.query != null && probe.query.get("sid") != null) {
            sid = probe.query.get("sid");
        }
    }

    /** Ends the session on the server, if a failure may have left it open mid-upgrade. */
    void closeSession() {
        String session = sid;
        if (session == null) {
            return;
        }
        Request request = new Request.Builder()
                .url(endpoint.socketUri() + endpoint.socketPath() + "/?EIO=4&transport=polling&sid="
                        + URLEncoder.encode(session, StandardCharsets.UTF_8))
                .header(LingoBlocksSocket.TOKEN_HEADER, token)
                .post(RequestBody.create(TEXT, "1"))
                .build();
        http.newCall(request).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                // The server is gone as well: nothing left to close.
            }

            @Override
            public void onResponse(Call call, Response response) {
                response.close();
            }
        });
    }
}
