package io.chatstream.provider.lingoblocks;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.provider.testkit.ClosingVendor;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The REST calls send on kept-alive connections: one the vendor closes just as the next call goes
 * out on it is replaced and the call answered, not failed (before, the second authenticate here
 * ended in {@code provider_unavailable}).
 */
class LingoBlocksKeptAliveTest {

    private Vertx vertx;
    private ClosingVendor vendor;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        vendor = ClosingVendor.start(vertx, ClosingVendor.json("{\"accessToken\":\"t-1\"}"));
        client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
    }

    @AfterEach
    void stop() throws Exception {
        client.close().toCompletionStage().toCompletableFuture().get();
        vendor.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    @Test
    void aConnectionTheVendorClosedIsReplacedAndTheCallAnswered() throws Exception {
        LingoBlocksRest rest = new LingoBlocksRest(
                client, LingoBlocksEndpoint.of("http://127.0.0.1:" + vendor.port()), "bot", Duration.ofSeconds(2));

        assertThat(authenticate(rest)).isEqualTo("t-1"); // leaves connection 1 in the pool
        assertThat(authenticate(rest)).isEqualTo("t-1"); // connection 1 closes: sent again on 2

        assertThat(vendor.connections()).isEqualTo(2);
    }

    private static String authenticate(LingoBlocksRest rest) throws Exception {
        return rest.authenticate(Optional.empty())
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }
}
