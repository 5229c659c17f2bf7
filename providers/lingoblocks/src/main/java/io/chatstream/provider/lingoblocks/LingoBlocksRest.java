package io.chatstream.provider.lingoblocks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatstream.contract.event.ErrorCode;
import io.chatstream.provider.ProviderException;
import io.chatstream.provider.transport.HttpFailures;
import io.chatstream.provider.transport.VendorRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The two LingoBlocks REST calls: {@code authenticate} ({@code {accessToken?}} → {@code
 * {accessToken}}) and {@code message} ({@code {text, accessToken}} → {@code {response, metadata}}),
 * their error statuses mapped to contract codes. An unknown chatbot (404 on authenticate) is {@code
 * auth_failed}: the chatbot id is the only credential LingoBlocks has.
 */
final class LingoBlocksRest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The whole answer of a {@code /message} call. */
    record Answer(Optional<String> response, Map<String, Object> metadata) {}

    /** A {@code /message} call in flight: its answer, and a way to abandon it (the connection closes). */
    static final class PendingMessage {
        private final Promise<Answer> answer = Promise.promise();
        private volatile VendorRequest request;
        private volatile boolean cancelled;

        Future<Answer> answer() {
            return answer.future();
        }

        void cancel() {
            cancelled = true;
            VendorRequest current = request;
            if (current != null) {
                current.abandon();
            }
        }
    }

    private final HttpClient client;
    private final LingoBlocksEndpoint endpoint;
    private final String chatbotId;
    private final Duration connectTimeout;

    LingoBlocksRest(HttpClient client, LingoBlocksEndpoint endpoint, String chatbotId, Duration connectTimeout) {
        this.client = client;
        this.endpoint = endpoint;
        this.chatbotId = chatbotId;
        this.connectTimeout = connectTimeout;
    }

    /** A session token: the one given back when it is still valid, else a new one. */
    Future<String> authenticate(Optional<String> existing) {
        ObjectNode body = JSON.createObjectNode();
        existing.ifPresent(token -> body.put("accessToken", token));
        PendingMessage call = new PendingMessage();
        Promise<String> token = Promise.promise();
        post(endpoint.authenticatePath(chatbotId), body, call, true).onComplete(done -> {
            if (done.failed()) {
                token.fail(done.cause());
                return;
            }
            JsonNode answer = done.result();
            JsonNode accessToken = answer.get("accessToken");
            if (accessToken == null
                    || !accessToken.isTextual()
                    || accessToken.asText().isBlank()) {
                token.fail(new ProviderException(
                        ErrorCode.PROTOCOL_ERROR, "LingoBlocks authenticate answered without an accessToken"));
            } else {
                token.complete(accessToken.asText());
            }
        });
        return token.future();
    }

    /** Sends the user's text; the answer comes once the vendor has generated all of it. */
    PendingMessage message(String text, String accessToken) {
        ObjectNode body = JSON.createObjectNode().put("text", text).put("accessToken", accessToken);
        PendingMessage call = new PendingMessage();
        post(endpoint.messagePath(chatbotId), body, call, false).onComplete(done -> {
            if (done.failed()) {
                call.answer.tryFail(done.cause());
                return;
            }
            JsonNode answer = done.result();
            Optional<String> response = SocketSignal.textOf(answer.get("response"));
            JsonNode metadata = answer.get("metadata");
            Map<String, Object> data = metadata != null && metadata.isObject()
                    ? JSON.convertValue(
                            metadata, JSON.getTypeFactory().constructMapType(Map.class, String.class, Object.class))
                    : Map.of();
            call.answer.tryComplete(new Answer(response, data));
        });
        return call;
    }

    private Future<JsonNode> post(String path, JsonNode body, PendingMessage call, boolean authenticate) {
        RequestOptions options = endpoint.post(path, connectTimeout).putHeader("Accept", "application/json");
        Promise<JsonNode> result = Promise.promise();
        // Through VendorRequest like every vendor call: a request given a kept-alive connection
        // that the vendor closes at that moment is sent once more on a new one, not failed.
        VendorRequest request = new VendorRequest(client, options, Buffer.buffer(body.toString()));
        call.request = request;
        if (call.cancelled) {
            request.abandon();
        }
        request.send(sent -> {
            if (sent.failed()) {
                // No request yet: the vendor could not be reached; else it broke under way.
                result.fail(
                        request.wentOut()
                                ? broken(sent.cause(), authenticate)
                                : new ProviderException(
                                        ErrorCode.PROVIDER_UNAVAILABLE,
                                        "cannot reach LingoBlocks at " + endpoint.host() + ":" + endpoint.port() + ": "
                                                + sent.cause().getMessage(),
                                        sent.cause()));
                return;
            }
            HttpClientResponse response = sent.result();
            response.body().onComplete(read -> {
                if (read.failed()) {
                    result.fail(broken(read.cause(), authenticate));
                    return;
                }
                request.responseEnded();
                try {
                    result.complete(read(
                            new Reply(response.statusCode(), response.getHeader("Retry-After"), read.result()),
                            authenticate));
                } catch (ProviderException e) {
                    result.fail(e);
                }
            });
        });
        return result.future();
    }

    private record Reply(int status, String retryAfter, Buffer body) {}

    private static JsonNode read(Reply reply, boolean authenticate) {
        int status = reply.status();
        Buffer body = reply.body();
        if (status / 100 != 2) {
            String message = vendorMessage(body);
            if (authenticate && status == 404) {
                throw new ProviderException(
                        ErrorCode.AUTH_FAILED,
                        "LingoBlocks does not know this chatbot id (HTTP 404 on authenticate"
                                + (message.isBlank() ? ")" : ": " + message + ")"));
            }
            throw HttpFailures.of(status, message, reply.retryAfter());
        }
        try {
            JsonNode json = JSON.readTree(body.getBytes());
            if (json == null || !json.isObject()) {
                throw new ProviderException(
                        ErrorCode.PROTOCOL_ERROR, "LingoBlocks answered with a body that is not a JSON object");
            }
            return json;
        } catch (java.io.IOException e) {
            throw new ProviderException(ErrorCode.PROTOCOL_ERROR, "LingoBlocks answered with a body that is not JSON");
        }
    }

    private ProviderException broken(Throwable cause, boolean authenticate) {
        // The request went out: for /message the answer was under way, so it is incomplete.
        return new ProviderException(
                authenticate ? ErrorCode.PROVIDER_UNAVAILABLE : ErrorCode.INCOMPLETE,
                "the LingoBlocks connection broke before its answer: " + cause.getMessage(),
                cause);
    }

    /** The vendor's words from an error body: {@code {"message": …}} or {@code {"error": …}}. */
    static String vendorMessage(Buffer body) {
        try {
            JsonNode json = JSON.readTree(body.getBytes());
            if (json == null || !json.isObject()) {
                return "";
            }
            JsonNode message = json.path("message").isTextual() ? json.get("message") : json.path("error");
            return message.isTextual()
                    ? message.asText()
                    : message.path("message").asText("");
        } catch (java.io.IOException | RuntimeException e) {
            return "";
        }
    }
}
