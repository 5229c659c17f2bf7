package io.chatstream.provider.aui;

import io.chatstream.contract.event.ErrorCode;
import io.chatstream.provider.ProviderException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Where the AUI calls go, from the bot's base url ({@code wss://data-services.aui.io/api/ia-controller};
 * {@code ws}, {@code http} and {@code https} are accepted too): the task call on the http(s) form
 * of the same base, the WebSocket on the ws(s) form.
 */
record AuiEndpoint(String host, int port, boolean ssl, String basePath) {

    static AuiEndpoint of(String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new ProviderException(ErrorCode.PROVIDER_ERROR, "the bot's url is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("ws") || scheme.equals("wss") || scheme.startsWith("http"))) {
            throw new ProviderException(
                    ErrorCode.PROVIDER_ERROR, "the bot's url needs a ws, wss, http or https scheme and a host");
        }
        boolean ssl = scheme.equals("wss") || scheme.equals("https");
        int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return new AuiEndpoint(uri.getHost(), port, ssl, path);
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
