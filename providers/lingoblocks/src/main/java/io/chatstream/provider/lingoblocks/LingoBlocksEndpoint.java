package io.chatstream.provider.lingoblocks;

import io.chatstream.contract.event.ErrorCode;
import io.chatstream.provider.ProviderException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Where the LingoBlocks calls go, from the bot's {@code url} (e.g. {@code https://api.lingoblocks.com}):
 * {@code {url}/v1/chatbot/{id}/authenticate}, {@code {url}/v1/chatbot/{id}/message}, and socket.io
 * at {@code {url}} (path {@code {url path}/socket.io/}, main namespace), as the vendor's {@code
 * io(url)} does for a url without a path. {@code ws}/{@code wss} are taken as {@code http}/{@code
 * https}.
 */
record LingoBlocksEndpoint(String host, int port, boolean ssl, String basePath) {

    static LingoBlocksEndpoint of(String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new ProviderException(ErrorCode.PROVIDER_ERROR, "the bot's url is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (uri.getHost() == null || !scheme.matches("https?|wss?")) {
            throw new ProviderException(ErrorCode.PROVIDER_ERROR, "the bot's url needs http(s)://host");
        }
        boolean ssl = scheme.equals("https") || scheme.equals("wss");
        int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return new LingoBlocksEndpoint(uri.getHost(), port, ssl, path);
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
