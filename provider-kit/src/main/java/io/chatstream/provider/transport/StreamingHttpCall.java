package io.chatstream.provider.transport;

import io.chatstream.contract.event.ErrorCode;
import io.chatstream.provider.ProviderChunk;
import io.chatstream.provider.ProviderException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.function.Function;

/**
 * One streaming HTTP call to a vendor, shared by every HTTP provider: sends the request, maps an
 * error status to its contract code ({@link HttpFailures}), feeds the body's bytes through the
 * UTF-8 decoder to the provider's {@link BodyParser}, and emits its chunks. A body that ends
 * without a completion is {@code incomplete}. Ending the subscription early (cancel, failure)
 * resets the request, which closes the HTTP/1.1 connection, so the vendor stops generating.
 *
 * <p>After the answer's own end signal ({@code [DONE]} …) the body still has its last bytes to
 * come (the chunked terminator): the call waits for them, so that the connection goes back to the
 * pool, and resets only a vendor that does not end the body within {@link #END_GRACE_MILLIS}. Resetting
 * at once closed every connection after every answer; the next answer then waited for a new one,
 * and at 100 concurrent streams that alone was 25 ms at the median and 200 ms at p99 before the
 * vendor's first token (docs/benchmarks.md).
 */
public final class StreamingHttpCall {

    /** How long a vendor may take to end the body after the answer's end signal. */
    static final long END_GRACE_MILLIS = 5_000;

    private final RequestOptions options;
    private final Function<HttpClientResponse, BodyParser> parserFor;
    private final Function<Buffer, String> errorMessage;
    private final MultiEmitter<? super ProviderChunk> emitter;
    private final Utf8StreamDecoder utf8 = new Utf8StreamDecoder();
    private BodyParser parser;
    private final VendorRequest request;
    private volatile boolean finished;
    /** The answer's end signal arrived: the connection is worth keeping. */
    private volatile boolean completed;

    private StreamingHttpCall(
            HttpClient client,
            RequestOptions options,
            Buffer body,
            Function<HttpClientResponse, BodyParser> parserFor,
            Function<Buffer, String> errorMessage,
            MultiEmitter<? super ProviderChunk> emitter) {
        this.options = options;
        this.request = new VendorRequest(client, options, body);
        this.parserFor = parserFor;
        this.errorMessage = errorMessage;
        this.emitter = emitter;
    }

    /**
     * The chunks of one call, made when subscribed.
     *
     * @param parserFor the body parser for a successful response (it may look at its headers)
     * @param errorMessage the vendor's own words from an error response body ("" when none)
     */
    public static Multi<ProviderChunk> stream(
            HttpClient client,
            RequestOptions options,
            Buffer body,
            Function<HttpClientResponse, BodyParser> parserFor,
            Function<Buffer, String> errorMessage) {
        return Multi.createFrom()
                .emitter(emitter ->
                        new StreamingHttpCall(client, options, body, parserFor, errorMessage, emitter).start());
    }

    private void start() {
        emitter.onTermination(this::close);
        request.send(answered -> {
            if (answered.succeeded()) {
                onResponse(answered.result());
            } else {
                fail(unavailable(answered.cause()));
            }
        });
    }

    private void onResponse(HttpClientResponse response) {
        int status = response.statusCode();
        if (status / 100 != 2) {
            String retryAfter = response.getHeader("Retry-After");
            response.body().onComplete(read -> {
                if (read.succeeded()) {
                    request.responseEnded();
                }
                fail(HttpFailures.of(status, read.succeeded() ? safeMessage(read.result()) : "", retryAfter));
            });
            return;
        }
        parser = parserFor.apply(response);
        response.handler(buffer -> emit(() -> parser.feed(utf8.decode(buffer.getBytes()))));
        response.exceptionHandler(e -> fail(new ProviderException(
                ErrorCode.INCOMPLETE, "the vendor connection broke before the end of the answer", e)));
        response.endHandler(v -> {
            request.responseEnded();
            emit(() -> parser.feed(utf8.finish()));
            emit(parser::finish);
            fail(new ProviderException(ErrorCode.INCOMPLETE, "the vendor ended the stream without its end signal"));
        });
    }

    private void emit(java.util.function.Supplier<List<ProviderChunk>> parse) {
        if (finished) {
            return;
        }
        List<ProviderChunk> chunks;
        try {
            chunks = parse.get();
        } catch (ProviderException e) {
            fail(e);
            return;
        }
        for (ProviderChunk chunk : chunks) {
            if (finished) {
                return;
            }
            if (chunk instanceof ProviderChunk.Completion) {
                // Before emitting: the subscriber may end the subscription (close()) from within.
                completed = true;
            }
            emitter.emit(chunk);
            if (chunk instanceof ProviderChunk.Completion) {
                finished = true;
                emitter.complete();
            }
        }
    }

    private void fail(ProviderException e) {
        if (!finished) {
            finished = true;
            emitter.fail(e);
        }
    }

    private void close() {
        finished = true;
        if (request.hasResponseEnded()) {
            return; // an ended response's connection is back in the pool already
        }
        Context context = Vertx.currentContext();
        if (completed && context != null) {
            context.owner().setTimer(END_GRACE_MILLIS, t -> request.abandon()); // a no-op once the body ended
        } else {
            request.abandon();
        }
    }

    private ProviderException unavailable(Throwable cause) {
        return new ProviderException(
                ErrorCode.PROVIDER_UNAVAILABLE,
                "cannot reach the vendor at " + options.getHost() + ":" + options.getPort() + ": " + cause.getMessage(),
                cause);
    }

    private String safeMessage(Buffer errorBody) {
        try {
            String message = errorMessage.apply(errorBody);
            return message == null ? "" : message;
        } catch (RuntimeException e) {
            return "";
        }
    }
}
