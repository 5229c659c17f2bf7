package io.chatstream.provider.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.provider.ProviderCall;
import io.chatstream.provider.ProviderChunk;
import io.chatstream.provider.openai.OpenAiConfig;
import io.chatstream.provider.openai.OpenAiProvider;
import io.chatstream.provider.testkit.ClosingVendor;
import io.chatstream.provider.testkit.TestBots;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A vendor that closes a kept-alive connection just as the next request goes out on it
 * ({@link ClosingVendor}): the streaming call is sent again on a new connection, instead of
 * failing the message.
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
    private ClosingVendor vendor;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        vendor = ClosingVendor.start(vertx, ANSWER);
    }

    @AfterEach
    void stop() throws Exception {
        vendor.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    @Test
    void aConnectionTheVendorClosedIsReplacedAndTheMessageAnswered() {
        OpenAiProvider provider = new OpenAiProvider(vertx, TestBots.options(OpenAiConfig.class, Map.of()));

        assertThat(answer(provider)).isEqualTo("hi"); // leaves connection 1 in the pool
        assertThat(answer(provider)).isEqualTo("hi"); // connection 1 closes: sent again on 2

        assertThat(vendor.connections()).isEqualTo(2);
    }

    private String answer(OpenAiProvider provider) {
        ProviderCall call = new ProviderCall(
                "bot",
                TestBots.bot("openai", Map.of("url", "http://127.0.0.1:" + vendor.port() + "/v1", "api-key", "k")),
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

    private static String chunk(String data) {
        int length = data.getBytes(StandardCharsets.UTF_8).length;
        return Integer.toHexString(length) + "\r\n" + data + "\r\n";
    }
}
