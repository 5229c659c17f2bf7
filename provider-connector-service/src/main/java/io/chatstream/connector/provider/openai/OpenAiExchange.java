package io.chatstream.connector.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatstream.connector.provider.ProviderChunk;
import io.chatstream.connector.provider.ProviderException;
import io.chatstream.connector.transport.SseDecoder;
import io.chatstream.connector.transport.SseEvent;
import io.chatstream.connector.transport.Utf8StreamDecoder;
import io.chatstream.contract.event.ErrorCode;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.Optional;

/**
 * One streaming call: sends the request, feeds the body's bytes through the UTF-8 and SSE decoders
 * and emits chunks. Ending the subscription (cancel, failure, completion) resets an unfinished
 * request, which closes the HTTP/1.1 connection, so the vendor stops generating.
 */
final class OpenAiExchange {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final RequestOptions options;
    private final Buffer body;
    private final MultiEmitter<? super ProviderChunk> emitter;
    private final Utf8StreamDecoder utf8 = new Utf8StreamDecoder();
    private final SseDecoder sse = new SseDecoder();
    private final OpenAiChunkParser parser = new OpenAiChunkParser();
    private volatile HttpClientRequest request;
    private volatile boolean finished;

    OpenAiExchange(
            HttpClient client, RequestOptions options, Buffer body, MultiEmitter<? super ProviderChunk> emitter) {
        this.client = client;
        this.options = options;
        this.body = body;
        this.emitter = emitter;
    }

    void start() {
        emitter.onTermination(this::close);
        client.request(options).onComplete(created -> {
            if (created.failed()) {
                fail(unavailable(created.cause()));
                return;
            }
            request = created.result();
            if (finished) {
                request.reset();
                return;
            }
            request.send(body).onComplete(answered -> {
                if (answered.failed()) {
                    fail(unavailable(answered.cause()));
                } else {
                    onResponse(answered.result());
                }
            });
        });
    }

    private void onResponse(HttpClientResponse response) {
        int status = response.statusCode();
        if (status / 100 != 2) {
            String retryAfter = response.getHeader("Retry-After");
            response.body()
                    .onComplete(read -> fail(
                            HttpFailures.of(status, read.succeeded() ? vendorMessage(read.result()) : "", retryAfter)));
            return;
        }
        response.handler(buffer -> onEvents(sse.feed(utf8.decode(buffer.getBytes()))));
        response.exceptionHandler(e -> fail(new ProviderException(
                ErrorCode.INCOMPLETE, "the vendor connection broke before the end of the answer", e)));
        response.endHandler(v -> {
            onEvents(sse.feed(utf8.finish()));
            onEvents(sse.finish());
            fail(new ProviderException(ErrorCode.INCOMPLETE, "the vendor ended the stream without [DONE]"));
        });
    }

    private void onEvents(List<SseEvent> events) {
        for (SseEvent event : events) {
            if (finished) {
                return;
            }
            Optional<ProviderChunk> chunk;
            try {
                chunk = parser.parse(event.data());
            } catch (ProviderException e) {
                fail(e);
                return;
            }
            chunk.ifPresent(emitter::emit);
            if (chunk.orElse(null) instanceof ProviderChunk.Completion) {
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
        HttpClientRequest current = request;
        if (current != null) {
            // No-op once the response has ended: the connection then goes back to the pool.
            current.reset();
        }
    }

    private ProviderException unavailable(Throwable cause) {
        return new ProviderException(
                ErrorCode.PROVIDER_UNAVAILABLE,
                "cannot reach the vendor at " + options.getHost() + ":" + options.getPort() + ": " + cause.getMessage(),
                cause);
    }

    private static String vendorMessage(Buffer body) {
        try {
            JsonNode json = JSON.readTree(body.getBytes());
            JsonNode error = json == null ? null : json.get("error");
            return error == null ? "" : OpenAiChunkParser.errorMessage(error);
        } catch (Exception e) {
            return "";
        }
    }
}
