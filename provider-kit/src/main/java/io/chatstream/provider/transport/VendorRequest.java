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

/**
 * One HTTP exchange with a vendor, for every HTTP call of every provider, and the one place that
 * decides when its connection may be closed.
 *
 * <p>Connections are kept alive, so a request can be given one the vendor closes at that moment
 * (servers close idle connections on their own timeout): such a request, which got no response, is
 * sent once more on a new connection instead of failing the message.
 *
 * <p>{@link #abandon()} resets the request, which closes its HTTP/1.1 connection, so that the
 * vendor stops generating; but only while the response is still coming. Vert.x closes the
 * connection on a reset even after the response has ended, when the connection is already back in
 * the pool or carrying the next request, which then fails with nothing sent or half an answer. So
 * a caller says {@link #responseEnded()} once it has read the response to its end (before it acts
 * on it), and an abandon after that leaves the connection alone.
 */
public final class VendorRequest {

    private final HttpClient client;
    private final RequestOptions options;
    private final Buffer body;

    private HttpClientRequest request;
    private boolean ended;
    private boolean abandoned;

    public VendorRequest(HttpClient client, RequestOptions options, Buffer body) {
        this.client = client;
        this.options = options;
        this.body = body;
    }

    /**
     * Sends the request.
     *
     * @param answered called with the response as its head arrives, on the connection's event loop
     *     and at once, so that body handlers are set before any body byte: not through a composed
     *     future, whose listeners may run a task later, after a small body has already ended. A
     *     request abandoned before it went out fails with a {@link CancellationException}.
     */
    public void send(Handler<AsyncResult<HttpClientResponse>> answered) {
        attempt(answered, true);
    }

    /** Whether a request was created: the vendor was reached (its answer may still break). */
    public synchronized boolean wentOut() {
        return request != null;
    }

    /** The response was read to its end: its connection is the pool's again, never to be reset here. */
    public synchronized void responseEnded() {
        ended = true;
    }

    /** Whether {@link #responseEnded()} was said. */
    public synchronized boolean hasResponseEnded() {
        return ended;
    }

    /** Ends the exchange: resets the request while its response is still coming; idempotent, any thread. */
    public void abandon() {
        HttpClientRequest toReset;
        synchronized (this) {
            if (abandoned) {
                return;
            }
            abandoned = true;
            toReset = ended ? null : request;
        }
        if (toReset != null) {
            toReset.reset();
        }
    }

    private void attempt(Handler<AsyncResult<HttpClientResponse>> answered, boolean mayRetry) {
        client.request(options).onComplete(created -> {
            if (created.failed()) {
                answered.handle(Future.failedFuture(created.cause()));
                return;
            }
            HttpClientRequest current = created.result();
            boolean proceed;
            synchronized (this) {
                proceed = !abandoned;
                if (proceed) {
                    request = current;
                }
            }
            if (!proceed) {
                current.reset();
                answered.handle(
                        Future.failedFuture(new CancellationException("the call ended before its request was sent")));
                return;
            }
            current.send(body).onComplete(result -> {
                if (result.failed() && mayRetry && result.cause() instanceof HttpClosedException) {
                    attempt(answered, false);
                } else {
                    answered.handle(result);
                }
            });
        });
    }
}
