package io.chatstream.provider.aui;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.provider.ProviderCall;
import io.chatstream.provider.ProviderChunk;
import io.chatstream.provider.testkit.ClosingVendor;
import io.chatstream.provider.testkit.TestBots;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The task call sends on a kept-alive connection: one the vendor closes just as the next session's
 * task call goes out on it is replaced and the task created, not failed (before, the second message
 * here failed with {@code provider_unavailable} before any task). The vendor here speaks no
 * WebSocket, so each message ends after its task; only the task is looked at.
 */
class AuiKeptAliveTest {

    private Vertx vertx;
    private ClosingVendor vendor;
    private AuiProvider provider;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        vendor = ClosingVendor.start(vertx, ClosingVendor.json("{\"id\":\"task-1\"}"));
        provider = new AuiProvider(vertx);
    }

    @AfterEach
    void stop() throws Exception {
        provider.close();
        vendor.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    @Test
    void aConnectionTheVendorClosedIsReplacedAndTheTaskCreated() {
        assertThat(firstChunk()).isEqualTo(new ProviderChunk.Handles(Map.of("task_id", "task-1")));
        assertThat(firstChunk()).isEqualTo(new ProviderChunk.Handles(Map.of("task_id", "task-1")));
    }

    private ProviderChunk firstChunk() {
        ProviderCall call = new ProviderCall(
                "bot",
                TestBots.bot("aui", Map.of("url", "http://127.0.0.1:" + vendor.port(), "api-key", "k")),
                "s-" + System.nanoTime(),
                "m-1",
                "hello",
                Map.of());
        AssertSubscriber<ProviderChunk> chunks =
                provider.stream(call).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        chunks.awaitFailure(Duration.ofSeconds(10));
        assertThat(chunks.getItems()).as("failure: %s", chunks.getFailure()).isNotEmpty();
        return chunks.getItems().get(0);
    }
}
