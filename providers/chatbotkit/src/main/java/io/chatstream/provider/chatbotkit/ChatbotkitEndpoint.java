package io.chatstream.provider.chatbotkit;

import io.chatstream.provider.transport.VendorEndpoint;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.List;

/**
 * Where the ChatBotKit calls go. The API lives under {@code {url}/api/v1} (the SDKs); older docs and
 * the SDK talking to {@code api.chatbotkit.com} use {@code {url}/v1}. A url whose path already ends
 * in {@code /v1} is taken as the API root; otherwise both roots are candidates, {@code /api/v1}
 * first (see {@link Dialect}).
 */
record ChatbotkitEndpoint(String host, int port, boolean ssl, List<String> roots) {

    static ChatbotkitEndpoint of(String url) {
        VendorEndpoint base = VendorEndpoint.of(url);
        String path = base.path();
        List<String> roots = path.endsWith("/v1") ? List.of(path) : List.of(path + "/api/v1", path + "/v1");
        return new ChatbotkitEndpoint(base.host(), base.port(), base.ssl(), roots);
    }

    /** The call to {@code path} under the root of {@code dialect}. */
    RequestOptions post(Dialect dialect, String path, Duration connectTimeout) {
        return new VendorEndpoint(host, port, ssl, "").post(root(dialect) + path, connectTimeout);
    }

    String root(Dialect dialect) {
        return roots.get(dialect.root() % roots.size());
    }
}
