package io.chatstream.provider.chatbase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatstream.contract.event.ErrorCode;
import io.chatstream.provider.BotConfig;
import io.chatstream.provider.ChatProvider;
import io.chatstream.provider.Conversation;
import io.chatstream.provider.ProviderCall;
import io.chatstream.provider.ProviderChunk;
import io.chatstream.provider.ProviderException;
import io.chatstream.provider.transport.BodyParser;
import io.chatstream.provider.transport.StreamingHttpCall;
import io.chatstream.provider.transport.VendorClients;
import io.chatstream.provider.transport.VendorEndpoint;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Multi;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Chatbase: {@code POST {url}/api/v1/chat} with {@code stream: true}. The API is stateless, so
 * every message carries the session's earlier turns. A {@code text/event-stream} answer is read as
 * SSE ({@code data:} pieces, {@code [DONE]}); anything else as raw text that ends with the body.
 */
@ApplicationScoped
@Identifier("chatbase")
public class ChatbaseProvider implements ChatProvider {

    private static final int POOL_SIZE = 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final ChatbaseConfig options;

    public ChatbaseProvider(Vertx vertx, ChatbaseConfig options) {
        this.options = options;
        this.client = VendorClients.http(vertx, POOL_SIZE);
    }

    @PreDestroy
    void close() {
        client.close();
    }

    @Override
    public boolean needsEarlierTurns() {
        return true;
    }

    @Override
    public Multi<ProviderChunk> stream(ProviderCall call) {
        BotConfig config = call.config();
        VendorEndpoint endpoint = VendorEndpoint.of(call);
        String chatbotId = Optional.ofNullable(options.bots().get(call.bot()))
                .flatMap(ChatbaseConfig.Bot::chatbotId)
                .orElseThrow(() -> missing(call, "chatbot-id"));
        RequestOptions request = endpoint.post(endpoint.path() + "/api/v1/chat", config.connectTimeout())
                .putHeader("Accept", "text/event-stream, text/plain;q=0.9, */*;q=0.8");
        config.apiKey().ifPresent(key -> request.putHeader("Authorization", "Bearer " + key));
        return StreamingHttpCall.stream(
                client,
                request,
                Buffer.buffer(requestBody(call, chatbotId)),
                ChatbaseProvider::parserFor,
                ChatbaseProvider::vendorMessage);
    }

    /** SSE when the vendor says {@code text/event-stream}, raw text otherwise. */
    static BodyParser parserFor(HttpClientResponse response) {
        String type = response.getHeader("Content-Type");
        return type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("text/event-stream")
                ? new ChatbaseSseParser()
                : new ChatbaseRawParser();
    }

    /**
     * {@code {messages: [{content, role}], chatbotId, chatId, stream: true, conversationId}}: the
     * id under both names, the newer {@code chatbotId} and the older docs' {@code chatId}, so that
     * either kind of server finds it; the gateway session as {@code conversationId}, so that the
     * vendor's dashboard groups the session's messages.
     */
    static byte[] requestBody(ProviderCall call, String chatbotId) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode messages = body.putArray("messages");
        for (Conversation.Turn turn : call.conversation().turns()) {
            messages.addObject().put("content", turn.text()).put("role", turn.role());
        }
        messages.addObject().put("content", call.text()).put("role", "user");
        body.put("chatbotId", chatbotId);
        body.put("chatId", chatbotId);
        body.put("stream", true);
        body.put("conversationId", call.sessionId());
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The vendor's words from an error body: {@code {"message": …}}. */
    private static String vendorMessage(Buffer errorBody) {
        try {
            JsonNode json = JSON.readTree(errorBody.getBytes());
            return json != null && json.path("message").isTextual()
                    ? ChatbaseSseParser.errorMessage(json.toString())
                    : "";
        } catch (Exception e) {
            return "";
        }
    }

    private static ProviderException missing(ProviderCall call, String key) {
        return new ProviderException(
                ErrorCode.PROVIDER_ERROR,
                "bot " + call.bot() + " has no " + key + " (gateway.bots." + call.bot() + "." + key + ")");
    }
}
