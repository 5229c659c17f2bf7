package io.chatstream.provider.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The connection rules of {@link VendorRequest} against a real server on loopback: an exchange
 * abandoned after its response ended leaves its kept-alive connection to the next request (a
 * reset at that point closed it under the next request: the flaky retries of CI); one abandoned
 * while its response streams closes the connection, so the vendor stops generating.
 */
class VendorRequestTest {

    private Vertx vertx;
    private HttpServer server;
    private HttpClient client;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger closedConnections = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer()
                .connectionHandler(connection -> {
                    connections.incrementAndGet();
                    connection.closeHandler(v -> closedConnections.incrementAndGet());
                })
                .requestHandler(request -> {
                    if (request.path().equals("/endless")) {
                        request.response().setChunked(true).write("first part");
                    } else {
                        request.response().end("whole answer");
                    }
                });
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        // One connection: the second request can only reuse the first one's, if it still stands.
        client = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(1));
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void anExchangeAbandonedAfterItsResponseEndedLeavesTheConnectionToTheNextRequest() throws Exception {
        for (int i = 0; i < 20; i++) {
            VendorRequest request = new VendorRequest(client, options("/answer"), Buffer.buffer("q"));
            assertThat(readWhole(request)).isEqualTo("whole answer");
            request.abandon();
        }
        assertThat(connections.get()).isEqualTo(1);
        assertThat(closedConnections.get()).isZero();
    }

    @Test
    void anExchangeAbandonedWhileItsResponseStreamsClosesTheConnection() throws Exception {
        VendorRequest request = new VendorRequest(client, options("/endless"), Buffer.buffer("q"));
        CompletableFuture<String> firstPart = new CompletableFuture<>();
        request.send(answered -> answered.result().handler(chunk -> firstPart.complete(chunk.toString())));
        assertThat(firstPart.get(5, TimeUnit.SECONDS)).isEqualTo("first part");
        request.abandon();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (closedConnections.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(closedConnections.get()).isEqualTo(1);
    }

    @Test
    void anExchangeAbandonedBeforeItWentOutFailsWithoutReachingTheVendor() throws Exception {
        VendorRequest request = new VendorRequest(client, options("/answer"), Buffer.buffer("q"));
        request.abandon();
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        request.send(answered -> failure.complete(answered.cause()));
        assertThat(failure.get(5, TimeUnit.SECONDS)).isInstanceOf(java.util.concurrent.CancellationException.class);
        assertThat(request.wentOut()).isFalse();
    }

    private String readWhole(VendorRequest request) throws Exception {
        CompletableFuture<String> body = new CompletableFuture<>();
        request.send(answered -> {
            HttpClientResponse response = answered.result();
            response.body().onComplete(read -> {
                request.responseEnded();
                body.complete(read.result().toString());
            });
        });
        return body.get(5, TimeUnit.SECONDS);
    }

    private RequestOptions options(String path) {
        return new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost("127.0.0.1")
                .setPort(server.actualPort())
                .setURI(path);
    }
}
