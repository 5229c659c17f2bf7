package io.chatstream.provider.lingoblocks;

import io.chatstream.provider.transport.VendorEndpoint;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Where the LingoBlocks calls go, from the bot's {@code url} (e.g. {@code https://api.lingoblocks.com}):
 * {@code {url}/v1/chatbot/{id}/authenticate}, {@code {url}/v1/chatbot/{id}/message}, and socket.io
 * at {@code {url}} (path {@code {url path}/socket.io/}, main namespace), as the vendor's {@code
 * io(url)} does for a url without a path. {@code ws}/{@code wss} are taken as {@code http}/{@code
 * https}.
 */
record LingoBlocksEndpoint(String host, int port, boolean ssl, String basePath) {

    static LingoBlocksEndpoint of(String url) {
        VendorEndpoint base = VendorEndpoint.of(url);
        return new LingoBlocksEndpoint(base.host(), base.port(), base.ssl(), base.path());
    }

    /** A {@code POST} of JSON to {@code uri} on this host. */
    RequestOptions post(String uri, Duration connectTimeout) {
        return new VendorEndpoint(host, port, ssl, basePath).post(uri, connectTimeout);
    }

    String authenticatePath(String chatbotId) {
        return chatbotPath(chatbotId) + "/authenticate";
    }

    String messagePath(String chatbotId) {
        return chatbotPath(chatbotId) + "/message";
    }

    /** The socket.io server: scheme, host and port only; the main namespace. */
    URI socketUri() {
        return URI.create((ssl ? "https" : "http") + "://" + host + ":" + port);
    }

    /** The socket.io request path, under the url's path. */
    String socketPath() {
        return basePath + "/socket.io";
    }

    private String chatbotPath(String chatbotId) {
        return basePath + "/v1/chatbot/"
                + URLEncoder.encode(chatbotId, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
