package io.chatstream.provider.transport;

import io.chatstream.contract.event.ErrorCode;
import io.chatstream.provider.ProviderCall;
import io.chatstream.provider.ProviderException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * A bot's vendor url taken apart, for every provider: {@code http}, {@code https}, {@code ws} or
 * {@code wss}, a host, the port (default 80 or 443), TLS for {@code https}/{@code wss}, and the
 * path without its trailing slashes. A provider adds its own paths to {@link #path()}.
 */
public record VendorEndpoint(String host, int port, boolean ssl, String path) {

    /** The bot's url ({@code gateway.bots.<bot>.url}), taken apart; a bot without one fails clearly. */
    public static VendorEndpoint of(ProviderCall call) {
        return of(url(call));
    }

    /** The bot's url; a bot without one is a {@code provider_error} that names the key. */
    public static String url(ProviderCall call) {
        return call.config()
                .url()
                .orElseThrow(() -> new ProviderException(
                        ErrorCode.PROVIDER_ERROR,
                        "bot " + call.bot() + " has no url (gateway.bots." + call.bot() + ".url)"));
    }

    public static VendorEndpoint of(String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new ProviderException(ErrorCode.PROVIDER_ERROR, "the bot's url is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !scheme.matches("https?|wss?")) {
            throw new ProviderException(
                    ErrorCode.PROVIDER_ERROR, "the bot's url needs an http, https, ws or wss scheme and a host");
        }
        boolean ssl = scheme.equals("https") || scheme.equals("wss");
        int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return new VendorEndpoint(uri.getHost(), port, ssl, path);
    }

    /** A {@code POST} of JSON to {@code uri} (a path on this host, with its query). */
    public RequestOptions post(String uri, Duration connectTimeout) {
        return new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(host)
                .setPort(port)
                .setSsl(ssl)
                .setURI(uri)
                .setConnectTimeout(connectTimeout.toMillis())
                .putHeader("Content-Type", "application/json");
    }
}
