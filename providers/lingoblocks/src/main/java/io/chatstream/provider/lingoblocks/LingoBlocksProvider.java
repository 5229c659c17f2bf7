package io.chatstream.provider.lingoblocks;

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
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * LingoBlocks: a session token ({@code authenticate}, one per gateway session, kept as the
 * conversation handle {@code accessToken}), the answer streamed as socket.io {@code message} events
 * ({@code chatbot.responseGenerated}) while {@code /message} runs, and that call's answer as the
 * final text. The socket.io side is the stock Java client ({@code io.socket:socket.io-client}, on
 * OkHttp); the REST side a shared Vert.x HTTP client.
 */
@ApplicationScoped
@Identifier("lingoblocks")
public class LingoBlocksProvider implements ChatProvider {

    /** One connection per concurrent /message call: the pool bounds them per host. */
    private static final int POOL_SIZE = 1024;

    private final Vertx vertx;
    private final HttpClient client;
    private final OkHttpClient okHttp;
    private final Map<Duration, OkHttpClient> byConnectTimeout = new ConcurrentHashMap<>();

    private final LingoBlocksConfig options;

    public LingoBlocksProvider(Vertx vertx, LingoBlocksConfig options) {
        this.vertx = vertx;
        this.options = options;
        this.client = VendorClients.http(vertx, POOL_SIZE);
        Dispatcher dispatcher = new Dispatcher();
        // Every open socket keeps a long-poll in flight until it upgrades: OkHttp's default of 5 per
        // host would queue the sixth concurrent answer behind the others.
        dispatcher.setMaxRequests(POOL_SIZE * 4);
        dispatcher.setMaxRequestsPerHost(POOL_SIZE * 4);
        this.okHttp = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                // A long-poll lasts up to the server's ping interval (25 s by default).
                .readTimeout(2, TimeUnit.MINUTES)
                .build();
    }

    @PreDestroy
    void close() {
        client.close();
        okHttp.dispatcher().executorService().shutdown();
        okHttp.connectionPool().evictAll();
    }

    @Override
    public Multi<ProviderChunk> stream(ProviderCall call) {
        BotConfig config = call.config();
        String url = VendorEndpoint.url(call);
        String chatbotId = Optional.ofNullable(options.bots().get(call.bot()))
                .flatMap(LingoBlocksConfig.Bot::chatbotId)
                .filter(id -> !id.isBlank())
                .orElseThrow(() -> new ProviderException(
                        ErrorCode.PROVIDER_ERROR,
                        "bot " + call.bot() + " has no chatbot id (gateway.bots." + call.bot() + ".chatbot-id)"));
        LingoBlocksEndpoint endpoint = LingoBlocksEndpoint.of(url);
        LingoBlocksRest rest = new LingoBlocksRest(client, endpoint, chatbotId, config.connectTimeout());
        OkHttpClient http = byConnectTimeout.computeIfAbsent(config.connectTimeout(), timeout -> okHttp.newBuilder()
                .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .build());
        return Multi.createFrom()
                .emitter(emitter -> new LingoBlocksExchange(vertx, call, endpoint, rest, http, emitter).start());
    }
}
