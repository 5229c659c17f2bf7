package io.chatstream.provider.openai;

import io.chatstream.contract.event.ErrorCode;
import io.chatstream.provider.ProviderException;
import java.net.URI;

/** Where the completions call goes: {@code {url}/chat/completions}, {@code /v1} added to a bare host. */
record OpenAiEndpoint(String host, int port, boolean ssl, String path) {

    static OpenAiEndpoint of(String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new ProviderException(ErrorCode.PROVIDER_ERROR, "the bot's url is not a URL");
        }
        if (uri.getHost() == null || uri.getScheme() == null) {
            throw new ProviderException(ErrorCode.PROVIDER_ERROR, "the bot's url has no scheme or host");
        }
        boolean ssl = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.isEmpty()) {
            path = "/v1";
        }
        return new OpenAiEndpoint(uri.getHost(), port, ssl, path + "/chat/completions");
    }
}
