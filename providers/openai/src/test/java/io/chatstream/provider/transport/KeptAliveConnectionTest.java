package io.chatstream.provider.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.provider.ProviderCall;
import io.chatstream.provider.ProviderChunk;
import io.chatstream.provider.openai.OpenAiProvider;
import io.chatstream.provider.testkit.TestBots;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A vendor that closes a kept-alive connection just as the next request goes out on it (servers
 * close idle connections on their own timeout): the request is sent again on a new connection,
 * instead of failing the message. Raw TCP, so that the close lands exactly there.
 */
class KeptAliveConnectionTest {

    private static final String ANSWER = "HTTP/1.1 200 OK\r\n"
            + "Content-Type: text/event-stream\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n"
            + chunk("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}\n\n")
            + chunk("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n")
            + chunk("data: [DONE]\n\n")
            + "0\r\n\r\n";

    private Vertx vertx;
    private NetServer server;
    private final AtomicInteger connections = new AtomicInteger();
    private int port;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        // The first connection answers its first request, then closes on the second one; every
        // later connection answers whatever it gets.
        server = vertx.createNetServer().connectHandler(socket -> {
            int connection = connections.incrementAndGet();
            AtomicInteger requests = new AtomicInteger();
            StringBuilder received = new StringBuilder();
            socket.handler(bytes -> {
                received.append(bytes.toString(StandardCharsets.ISO_8859_1));
                int length;
                while ((length = wholeRequestLength(received)) > 0) {
                    received.delete(0, length);
                    if (connection == 1 && requests.incrementAndGet() == 2) {
                        socket.close();
                        return;
                    }
                    socket.write(Buffer.buffer(ANSWER));
                }
            });
        });
        port = server.listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get()
                .actualPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    @Test
    void aConnectionTheVendorClosedIsReplacedAndTheMessageAnswered() {
        OpenAiProvider provider = new OpenAiProvider(vertx);

        assertThat(answer(provider)).isEqualTo("hi"); // leaves connection 1 in the pool
        assertThat(answer(provider)).isEqualTo("hi"); // connection 1 closes: sent again on 2

        assertThat(connections).hasValue(2);
    }

    private String answer(OpenAiProvider provider) {
        ProviderCall call = new ProviderCall(
                "bot",
                TestBots.bot("openai", Map.of("url", "http://127.0.0.1:" + port + "/v1", "api-key", "k")),
                "s-1",
                "m-" + System.nanoTime(),
                "hello",
                Map.of(),
                null);
        AssertSubscriber<ProviderChunk> chunks =
                provider.stream(call).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        chunks.awaitCompletion(Duration.ofSeconds(10));
        StringBuilder text = new StringBuilder();
        chunks.getItems().stream()
                .filter(ProviderChunk.Delta.class::isInstance)
                .forEach(delta -> text.append(((ProviderChunk.Delta) delta).text()));
        return text.toString();
    }

    /** The length of the first whole request (head and Content-Length body) received, or 0. */
    private static int wholeRequestLength(StringBuilder received) {
        int headEnd = received.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return 0;
        }
        String head = received.substring(0, headEnd).toLowerCase(java.util.Locale.ROOT);
        int at = head.indexOf("content-length:");
        int bodyLength = at < 0
                ? 0
                : Integer.parseInt(head.substring(at + 15).split("\r\n")[0].trim());
        int total = headEnd + 4 + bodyLength;
        return received.length() >= total ? total : 0;
    }

    private static String chunk(String data) {
        int length = data.getBytes(StandardCharsets.UTF_8).length;
        return Integer.toHexString(length) + "\r\n" + data + "\r\n";
    }
}
