package io.chatstream.provider.snackprompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatstream.contract.event.ErrorCode;
import io.chatstream.provider.BotConfig;
import io.chatstream.provider.ChatProvider;
import io.chatstream.provider.ProviderCall;
import io.chatstream.provider.ProviderChunk;
import io.chatstream.provider.ProviderException;
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
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The SnackPrompt AI Engine's knowledge-base chat, streamed over SSE: {@code POST
 * {url}/v1/kb/chat/stream} with {@code x-api-key} and {@code {query, filters: {tenant_id}}}.
 *
 * <p>The API is single-query: it has no conversation id and no place for earlier turns, so each
 * message is answered on its own (retrieval over the tenant's knowledge base). The connector keeps
 * no handle for it and does not fold earlier turns into the query, which would change what the
 * search retrieves.
 */
@ApplicationScoped
@Identifier("snackprompt")
public class SnackPromptProvider implements ChatProvider {

    static final String PATH = "/v1/kb/chat/stream";
    /** Streams are long-lived: one connection each, so the pool bounds concurrent streams per host. */
    private static final int POOL_SIZE = 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final SnackPromptConfig options;

    public SnackPromptProvider(Vertx vertx, SnackPromptConfig options) {
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
        VendorEndpoint endpoint = VendorEndpoint.of(call);
        String tenant = Optional.ofNullable(options.bots().get(call.bot()))
                .flatMap(SnackPromptConfig.Bot::tenantId)
                .orElseThrow(() -> new ProviderException(
                        ErrorCode.PROVIDER_ERROR,
                        "bot " + call.bot() + " has no tenant id (gateway.bots." + call.bot() + ".tenant-id)"));
        RequestOptions request =
                endpoint.post(endpoint.path() + PATH, config.connectTimeout()).putHeader("Accept", "text/event-stream");
        config.apiKey().ifPresent(key -> request.putHeader("x-api-key", key));
        ObjectNode body = JSON.createObjectNode().put("query", call.text());
        body.putObject("filters").put("tenant_id", tenant);
        return StreamingHttpCall.stream(
                client,
                request,
                Buffer.buffer(body.toString().getBytes(StandardCharsets.UTF_8)),
                response -> new SnackPromptBodyParser(),
                SnackPromptProvider::vendorMessage);
    }

    /** The vendor's words from an error body: {@code {"detail": …}}. */
    private static String vendorMessage(Buffer errorBody) {
        try {
            JsonNode json = JSON.readTree(errorBody.getBytes());
            return json == null ? "" : SnackPromptBodyParser.errorMessage(json);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
