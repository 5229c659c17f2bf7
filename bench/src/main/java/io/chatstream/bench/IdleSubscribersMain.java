package io.chatstream.bench;

import io.chatstream.contract.token.TokenKind;
import io.chatstream.runtime.token.TokenSigner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A child process of the idle scenario: opens {@code count} WebSockets to the session-service (one
 * session each, nothing ever posted), prints {@code OPEN <n> FAILED <m>} and holds them until its
 * standard input closes. One process may hold at most 20,000 descriptors here, so the bench starts
 * several. Arguments: port, count, session-id prefix.
 */
public final class IdleSubscribersMain {

    private IdleSubscribersMain() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        String prefix = args[2];
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        WebSocketClient client = vertx.createWebSocketClient(
                new WebSocketClientOptions().setMaxConnections(count + 16).setConnectTimeout(60_000));
        TokenSigner signer = new TokenSigner(BenchGateway.STREAM_TOKEN_SECRET);
        AtomicInteger failed = new AtomicInteger();
        List<WebSocket> open = new ArrayList<>();
        // In slices, so that the server's accept queue is never the thing measured.
        for (int from = 0; from < count; from += 500) {
            List<Future<WebSocket>> slice = new ArrayList<>();
            for (int i = from; i < Math.min(count, from + 500); i++) {
                String session = prefix + "-" + i;
                String token = signer.sign(TokenKind.STREAM, session, "bench", Duration.ofHours(2));
                slice.add(client.connect(port, "127.0.0.1", "/v1/sessions/" + session + "/stream?token=" + token)
                        .onFailure(e -> failed.incrementAndGet()));
            }
            Future.join(slice)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .exceptionally(e -> null)
                    .get();
            slice.stream().filter(Future::succeeded).forEach(f -> open.add(f.result()));
        }
        System.out.println("OPEN " + open.size() + " FAILED " + failed.get());
        System.out.flush();
        while (System.in.read() >= 0) {
            // hold until the parent closes our stdin
        }
        vertx.close();
    }
}
