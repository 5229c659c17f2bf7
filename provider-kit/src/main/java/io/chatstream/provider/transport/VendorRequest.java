package io.chatstream.provider.transport;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
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
     *     when the caller has ended meanwhile: the request is reset and the call fails
     * @param answered called with the response as its head arrives, on the connection's event loop
     *     and at once, so that body handlers are set before any body byte: not through a composed
     *     future, whose listeners may run a task later, after a small body has already ended
     */
    public static void send(
            HttpClient client,
            RequestOptions options,
            Buffer body,
            Predicate<HttpClientRequest> proceed,
            Handler<AsyncResult<HttpClientResponse>> answered) {
        attempt(client, options, body, proceed, answered, true);
    }

    private static void attempt(
            HttpClient client,
            RequestOptions options,
            Buffer body,
            Predicate<HttpClientRequest> proceed,
            Handler<AsyncResult<HttpClientResponse>> answered,
            boolean mayRetry) {
        client.request(options).onComplete(created -> {
            if (created.failed()) {
                answered.handle(Future.failedFuture(created.cause()));
                return;
            }
            HttpClientRequest request = created.result();
            if (!proceed.test(request)) {
                request.reset();
                answered.handle(
                        Future.failedFuture(new CancellationException("the call ended before its request was sent")));
                return;
            }
            request.send(body).onComplete(result -> {
                if (result.failed() && mayRetry && result.cause() instanceof HttpClosedException) {
                    attempt(client, options, body, proceed, answered, false);
                } else {
                    answered.handle(result);
                }
            });
        });
    }
}
