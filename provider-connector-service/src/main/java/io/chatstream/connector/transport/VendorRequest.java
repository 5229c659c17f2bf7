package io.chatstream.connector.transport;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.CancellationException;
import java.util.function.Predicate;

/**
 * Sends one HTTP request to a vendor, for every HTTP call of every provider. Connections are kept
 * alive, so a request can be given one the vendor closes at that moment (servers close idle
 * connections on their own timeout): such a request, which got no response, is sent once more on
 * a new connection instead of failing the message.
 */
public final class VendorRequest {

    private VendorRequest() {}

    /**
     * @param proceed told each request as it is created (the caller keeps it to reset it); false
     *     when the caller has ended meanwhile: the request is reset and the future fails
     */
    public static Future<HttpClientResponse> send(
            HttpClient client, RequestOptions options, Buffer body, Predicate<HttpClientRequest> proceed) {
        return attempt(client, options, body, proceed, true);
    }

    private static Future<HttpClientResponse> attempt(
            HttpClient client,
            RequestOptions options,
            Buffer body,
            Predicate<HttpClientRequest> proceed,
            boolean mayRetry) {
        return client.request(options).compose(request -> {
            if (!proceed.test(request)) {
                request.reset();
                return Future.failedFuture(new CancellationException("the call ended before its request was sent"));
            }
            return request.send(body)
                    .recover(failure -> mayRetry && failure instanceof HttpClosedException
                            ? attempt(client, options, body, proceed, false)
                            : Future.failedFuture(failure));
        });
    }
}
