package io.chatstream.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatstream.provider.BotConfig;
import io.chatstream.provider.ChatProvider;
import io.chatstream.provider.Conversation;
import io.chatstream.provider.ProviderCall;
import io.chatstream.provider.ProviderChunk;
import io.chatstream.provider.transport.StreamingHttpCall;
import io.chatstream.provider.transport.VendorClients;
import io.chatstream.provider.transport.VendorEndpoint;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Multi;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Any OpenAI-compatible chat-completions server, streamed over SSE. One Vert.x HTTP client is
 * shared by every bot of this provider, so that we read the raw bytes ourselves (reassembly and
 * UTF-8 decoding are ours, not a framework's).
 */
@ApplicationScoped
@Identifier("openai")
public class OpenAiProvider implements ChatProvider {

    static final String DEFAULT_MODEL = "gpt-4o-mini";
    /** Streams are long-lived: one connection each, so the pool bounds concurrent streams per host. */
    private static final int POOL_SIZE = 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final OpenAiConfig options;

    public OpenAiProvider(Vertx vertx, OpenAiConfig options) {
        this.options = options;
        this.client = VendorClients.http(vertx, POOL_SIZE);
    }

    @PreDestroy
    void close() {
        client.close();
    }

    @Override
    public Multi<ProviderChunk> stream(ProviderCall call) {
        BotConfig config = call.config();
        OpenAiEndpoint endpoint = OpenAiEndpoint.of(VendorEndpoint.url(call));
        RequestOptions options =
                endpoint.base().post(endpoint.path(), config.connectTimeout()).putHeader("Accept", "text/event-stream");
        config.apiKey().ifPresent(key -> options.putHeader("Authorization", "Bearer " + key));
        Buffer body = Buffer.buffer(requestBody(model(call), call));
        return StreamingHttpCall.stream(
                client, options, body, response -> new OpenAiBodyParser(), OpenAiProvider::vendorMessage);
    }

    /** The vendor's words from an error body: {@code {"error": {"message": …}}}. */
    private static String vendorMessage(Buffer errorBody) {
        try {
            JsonNode error = JSON.readTree(errorBody.getBytes()).get("error");
            return error == null ? "" : OpenAiChunkParser.errorMessage(error);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** The Chat Completions API is stateless: every request carries the earlier turns. */
    @Override
    public boolean needsEarlierTurns() {
        return true;
    }

    private String model(ProviderCall call) {
        return Optional.ofNullable(options.bots().get(call.bot()))
                .flatMap(OpenAiConfig.Bot::model)
                .orElse(DEFAULT_MODEL);
    }

    private static byte[] requestBody(String model, ProviderCall call) {
        ObjectNode body = JSON.createObjectNode().put("model", model);
        ArrayNode messages = body.putArray("messages");
        for (Conversation.Turn turn : call.conversation().turns()) {
            messages.addObject().put("role", turn.role()).put("content", turn.text());
        }
        messages.addObject().put("role", "user").put("content", call.text());
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        return body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
