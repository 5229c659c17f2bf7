package io.chatstream.provider.aui;

import io.chatstream.provider.transport.VendorEndpoint;
import io.vertx.core.http.RequestOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Where the AUI calls go, from the bot's base url ({@code wss://data-services.aui.io/api/ia-controller};
 * {@code ws}, {@code http} and {@code https} are accepted too): the task call on the http(s) form
 * of the same base, the WebSocket on the ws(s) form.
 */
record AuiEndpoint(String host, int port, boolean ssl, String basePath) {

    static AuiEndpoint of(String url) {
        VendorEndpoint base = VendorEndpoint.of(url);
        return new AuiEndpoint(base.host(), base.port(), base.ssl(), base.path());
    }

    /** A {@code POST} of JSON to {@code uri} on this host. */
    RequestOptions post(String uri, Duration connectTimeout) {
        return new VendorEndpoint(host, port, ssl, basePath).post(uri, connectTimeout);
    }

    /** {@code POST} here creates a task. */
    String tasksPath() {
        return basePath + "/api/v1/external/tasks";
    }

    /** The WebSocket, with the key as the documented query parameter. */
    String sessionPath(String apiKey) {
        return basePath + "/api/v1/external/session?network_api_key="
                + URLEncoder.encode(apiKey, StandardCharsets.UTF_8);
    }
}
