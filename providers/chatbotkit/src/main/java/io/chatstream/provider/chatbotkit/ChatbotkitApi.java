package io.chatstream.provider.chatbotkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatstream.contract.event.ErrorCode;
import io.chatstream.provider.BotConfig;
import io.chatstream.provider.ProviderChunk;
import io.chatstream.provider.ProviderException;
import io.chatstream.provider.transport.HttpFailures;
import io.chatstream.provider.transport.StreamingHttpCall;
import io.chatstream.provider.transport.VendorRequest;
import io.smallrye.mutiny.Multi;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The two ChatBotKit calls the connector makes, in one {@link Dialect} each time. */
final class ChatbotkitApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;

    ChatbotkitApi(HttpClient client) {
        this.client = client;
    }

    /**
     * {@code POST {root}/conversation/create} → the new conversation's id. Cancelling it resets the
     * request. The bot's {@code chatbot-id} is sent as {@code botId} and its {@code model} as {@code
     * model}, when set.
     */
    Multi<String> create(
            BotConfig config, Optional<ChatbotkitConfig.Bot> bot, ChatbotkitEndpoint endpoint, Dialect dialect) {
        ObjectNode body = JSON.createObjectNode();
        bot.flatMap(ChatbotkitConfig.Bot::chatbotId).ifPresent(id -> body.put("botId", id));
        bot.flatMap(ChatbotkitConfig.Bot::model).ifPresent(model -> body.put("model", model));
        RequestOptions options =
                options(config, endpoint, dialect, "/conversation/create").putHeader("Accept", "application/json");
        return Multi.createFrom().emitter(emitter -> {
            VendorRequest request = new VendorRequest(client, options, Buffer.buffer(body.toString()));
            emitter.onTermination(request::abandon);
            request.send(answered -> {
                if (answered.failed()) {
                    emitter.fail(unavailable(endpoint, answered.cause()));
                    return;
                }
                HttpClientResponse response = answered.result();
                response.body().onComplete(read -> {
                    if (read.failed()) {
                        emitter.fail(unavailable(endpoint, read.cause()));
                        return;
                    }
                    request.responseEnded();
                    if (response.statusCode() / 100 != 2) {
                        emitter.fail(HttpFailures.of(
                                response.statusCode(),
                                vendorMessage(read.result()),
                                response.getHeader("Retry-After")));
                        return;
                    }
                    String id;
                    try {
                        id = conversationId(read.result());
                    } catch (ProviderException e) {
                        emitter.fail(e);
                        return;
                    }
                    emitter.emit(id);
                    emitter.complete();
                });
            });
        });
    }

    /** {@code POST {root}/conversation/{id}/complete} {@code {text}}, streamed as JSON lines. */
    Multi<ProviderChunk> complete(
            BotConfig config, ChatbotkitEndpoint endpoint, Dialect dialect, String conversationId, String text) {
        RequestOptions options = options(
                        config,
                        endpoint,
                        dialect,
                        "/conversation/" + URLEncoder.encode(conversationId, StandardCharsets.UTF_8) + "/complete")
                .putHeader("Accept", "application/jsonl");
        Buffer body = Buffer.buffer(JSON.createObjectNode().put("text", text).toString());
        return StreamingHttpCall.stream(
                client, options, body, response -> new ChatbotkitBodyParser(), ChatbotkitApi::vendorMessage);
    }

    private static RequestOptions options(BotConfig config, ChatbotkitEndpoint endpoint, Dialect dialect, String path) {
        RequestOptions options = endpoint.post(dialect, path, config.connectTimeout());
        config.apiKey().ifPresent(key -> options.putHeader("Authorization", dialect.scheme() + " " + key));
        return options;
    }

    private static String conversationId(Buffer body) {
        JsonNode json;
        try {
            json = JSON.readTree(body.getBytes());
        } catch (Exception e) {
            throw new ProviderException(
                    ErrorCode.PROTOCOL_ERROR, "the vendor's conversation/create answer is not JSON");
        }
        JsonNode id = json == null ? null : json.get("id");
        if (id == null || !id.isTextual() || id.asText().isBlank()) {
            throw new ProviderException(ErrorCode.PROTOCOL_ERROR, "the vendor's conversation/create answer has no id");
        }
        return id.asText();
    }

    /** The vendor's words from an error body: {@code {message, code}}. */
    static String vendorMessage(Buffer errorBody) {
        try {
            JsonNode json = JSON.readTree(errorBody.getBytes());
            return json != null && json.isObject() ? ChatbotkitBodyParser.message(json) : "";
        } catch (Exception e) {
            return "";
        }
    }

    private static ProviderException unavailable(ChatbotkitEndpoint endpoint, Throwable cause) {
        return new ProviderException(
                ErrorCode.PROVIDER_UNAVAILABLE,
                "cannot reach the vendor at " + endpoint.host() + ":" + endpoint.port() + ": " + cause.getMessage(),
                cause);
    }
}
