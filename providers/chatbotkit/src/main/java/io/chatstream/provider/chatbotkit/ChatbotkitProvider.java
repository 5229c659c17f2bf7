package io.chatstream.provider.chatbotkit;

import io.chatstream.contract.event.ErrorCode;
import io.chatstream.provider.BotConfig;
import io.chatstream.provider.ChatProvider;
import io.chatstream.provider.ProviderCall;
import io.chatstream.provider.ProviderChunk;
import io.chatstream.provider.ProviderException;
import io.chatstream.provider.transport.VendorClients;
import io.chatstream.provider.transport.VendorEndpoint;
import io.chatstream.provider.transport.VendorHttpException;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Multi;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * ChatBotKit: one vendor conversation per gateway session ({@code conversation/create}, its id kept
 * as the handle {@value #HANDLE} at once), then {@code conversation/{id}/complete} streamed as JSON
 * lines. A conversation the vendor no longer knows (404) is replaced by a new one.
 */
@ApplicationScoped
@Identifier("chatbotkit")
public class ChatbotkitProvider implements ChatProvider {

    /** The conversation handle's name, as the gateway keeps it between messages. */
    static final String HANDLE = "conversationId";

    private static final int POOL_SIZE = 1024;

    private final HttpClient client;
    private final ChatbotkitApi api;
    /** Per url: the API variant that last answered, tried first. */
    private final Map<String, Dialect> dialects = new ConcurrentHashMap<>();

    private final ChatbotkitConfig options;

    public ChatbotkitProvider(Vertx vertx, ChatbotkitConfig options) {
        this.options = options;
        this.client = VendorClients.http(vertx, POOL_SIZE);
        this.api = new ChatbotkitApi(client);
    }

    @PreDestroy
    void close() {
        client.close();
    }

    @Override
    public Multi<ProviderChunk> stream(ProviderCall call) {
        BotConfig config = call.config();
        String url = VendorEndpoint.url(call);
        ChatbotkitEndpoint endpoint = ChatbotkitEndpoint.of(url);
        Optional<String> known = call.conversation().handle(HANDLE);
        if (known.isEmpty()) {
            return createThenComplete(call, url, endpoint);
        }
        return complete(call, url, endpoint, known.get())
                .onFailure(ChatbotkitProvider::isNotFound)
                .recoverWithMulti(() -> createThenComplete(call, url, endpoint));
    }

    private Multi<ProviderChunk> createThenComplete(ProviderCall call, String url, ChatbotkitEndpoint endpoint) {
        return negotiated(
                        url,
                        endpoint,
                        dialect -> api.create(
                                call.config(),
                                Optional.ofNullable(options.bots().get(call.bot())),
                                endpoint,
                                dialect))
                .onItem()
                .transformToMultiAndConcatenate(id -> Multi.createBy()
                        .concatenating()
                        .streams(
                                Multi.createFrom().item(new ProviderChunk.Handles(Map.of(HANDLE, id))),
                                complete(call, url, endpoint, id)));
    }

    private Multi<ProviderChunk> complete(ProviderCall call, String url, ChatbotkitEndpoint endpoint, String id) {
        return negotiated(url, endpoint, dialect -> api.complete(call.config(), endpoint, dialect, id, call.text()));
    }

    /** The call in the url's known dialect, then in the other root on 404, the other scheme on 401/403. */
    private <T> Multi<T> negotiated(String url, ChatbotkitEndpoint endpoint, Function<Dialect, Multi<T>> call) {
        return attempt(url, endpoint, dialects.getOrDefault(url, Dialect.DEFAULT), false, false, call);
    }

    private <T> Multi<T> attempt(
            String url,
            ChatbotkitEndpoint endpoint,
            Dialect dialect,
            boolean triedRoot,
            boolean triedScheme,
            Function<Dialect, Multi<T>> call) {
        return call.apply(dialect)
                .onItem()
                .invoke(item -> {
                    if (!dialect.equals(dialects.get(url))) {
                        dialects.put(url, dialect);
                    }
                })
                .onFailure()
                .recoverWithMulti(failure -> {
                    if (!triedRoot && endpoint.roots().size() > 1 && isNotFound(failure)) {
                        return attempt(url, endpoint, dialect.otherRoot(), true, triedScheme, call)
                                .onFailure(ChatbotkitProvider::isNotFound)
                                .recoverWithMulti(() -> Multi.createFrom().failure(failure));
                    }
                    if (!triedScheme && failure instanceof ProviderException e && e.code() == ErrorCode.AUTH_FAILED) {
                        return attempt(url, endpoint, dialect.otherScheme(), triedRoot, true, call)
                                .onFailure(f -> f instanceof ProviderException pe && pe.code() == ErrorCode.AUTH_FAILED)
                                .recoverWithMulti(() -> Multi.createFrom().failure(failure));
                    }
                    return Multi.createFrom().failure(failure);
                });
    }

    /** The vendor answered HTTP 404. */
    static boolean isNotFound(Throwable failure) {
        return VendorHttpException.is(failure, 404);
    }
}
