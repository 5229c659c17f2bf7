package io.chatstream.provider.chatbotkit;

import io.chatstream.contract.event.ErrorCode;
import io.chatstream.provider.ProviderException;
import java.net.URI;
import java.util.List;

/**
 * Where the ChatBotKit calls go. The API lives under {@code {url}/api/v1} (the SDKs); older docs and
 * the SDK talking to {@code api.chatbotkit.com} use {@code {url}/v1}. A url whose path already ends
 * in {@code /v1} is taken as the API root; otherwise both roots are candidates, {@code /api/v1}
 * first (see {@link Dialect}).
 */
record ChatbotkitEndpoint(String host, int port, boolean ssl, List<String> roots) {

    static ChatbotkitEndpoint of(String url) {
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
        List<String> roots = path.endsWith("/v1") ? List.of(path) : List.of(path + "/api/v1", path + "/v1");
        return new ChatbotkitEndpoint(uri.getHost(), port, ssl, roots);
    }

    String root(Dialect dialect) {
        return roots.get(dialect.root() % roots.size());
    }
}
