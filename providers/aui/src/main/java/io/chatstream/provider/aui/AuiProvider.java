package io.chatstream.provider.aui;

import io.chatstream.contract.event.ErrorCode;
import io.chatstream.provider.BotConfig;
import io.chatstream.provider.ChatProvider;
import io.chatstream.provider.ProviderCall;
import io.chatstream.provider.ProviderChunk;
import io.chatstream.provider.ProviderException;
import io.chatstream.provider.transport.VendorClients;
import io.chatstream.provider.transport.VendorEndpoint;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Multi;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * AUI agents (docs.aui.io, Messaging API): a task per gateway session ({@code POST
 * {url as http(s)}/api/v1/external/tasks}, kept as the {@code task_id} conversation handle), and a
 * WebSocket per message ({@code {url}/api/v1/external/session?network_api_key=…}) that streams the
 * cumulative text, turned into deltas here, then the final message whose products and
 * suggestions become the completed event's {@code data}. See {@link AuiMessageCall}.
 */
@ApplicationScoped
@Identifier("aui")
public class AuiProvider implements ChatProvider {

    /** One connection per streaming message: this bounds concurrent messages per vendor host. */
    private static final int MAX_CONNECTIONS = 1024;
    /** A final message with many product cards can be large; the Vert.x default is 256 KiB. */
    private static final int MAX_MESSAGE_SIZE = 16 * 1024 * 1024;

    private final HttpClient http;
    private final WebSocketClient webSockets;

    public AuiProvider(Vertx vertx) {
        this.http = VendorClients.http(vertx, 64);
        this.webSockets = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxConnections(MAX_CONNECTIONS)
                .setMaxMessageSize(MAX_MESSAGE_SIZE)
                .setVerifyHost(true));
    }

    @PreDestroy
    void close() {
        http.close();
        webSockets.close();
    }

    @Override
    public Multi<ProviderChunk> stream(ProviderCall call) {
        BotConfig config = call.config();
        String url = VendorEndpoint.url(call);
        String apiKey = config.apiKey()
                .orElseThrow(() -> new ProviderException(
                        ErrorCode.AUTH_FAILED,
                        "bot " + call.bot() + " has no network API key (gateway.bots." + call.bot() + ".api-key)"));
        return AuiMessageCall.stream(http, webSockets, AuiEndpoint.of(url), call, apiKey);
    }
}
