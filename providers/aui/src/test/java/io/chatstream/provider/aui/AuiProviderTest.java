package io.chatstream.provider.aui;

import static io.chatstream.simulator.contract.ContractRun.QUESTION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatstream.contract.event.ErrorCode;
import io.chatstream.provider.Conversation;
import io.chatstream.provider.ProviderCall;
import io.chatstream.provider.ProviderChunk;
import io.chatstream.provider.ProviderException;
import io.chatstream.provider.aui.simulator.AuiContractFixture;
import io.chatstream.provider.testkit.RunningFixture;
import io.vertx.core.http.HttpServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The AUI provider beyond the shared contract (the connector's ProviderContractTest, with {@link
 * AuiContractFixture}), called without the streamer: the client context, a known task with a
 * refused key, an upgrade refused with HTTP 403, a handshake that never answers, a dropped connection.
 */
class AuiProviderTest {

    @RegisterExtension
    static final RunningFixture<AuiContractFixture> aui = RunningFixture.of(new AuiContractFixture());

    @Test
    void theClientContextTravelsWithTheMessage() {
        Map<String, Object> context = Map.of("url", "https://example.com/p", "lead_details", Map.of("budget", "300"));
        List<ProviderChunk> chunks = aui.provider().stream(
                        aui.call("with context", Map.of(), context, Conversation.empty()))
                .collect()
                .asList()
                .await()
                .atMost(Duration.ofSeconds(10));
        assertThat(chunks.get(0)).isInstanceOf(ProviderChunk.Handles.class);
        assertThat(chunks.get(chunks.size() - 1)).isInstanceOf(ProviderChunk.Completion.class);
        JsonNode sent = aui.fixture().lastMessage("with context");
        assertThat(sent.path("context").path("url").asText()).isEqualTo("https://example.com/p");
        assertThat(sent.path("context").path("lead_details").path("budget").asText())
                .isEqualTo("300");
        String task = ((ProviderChunk.Handles) chunks.get(0)).handles().get("task_id");
        assertThat(sent.path("task_id").asText()).isEqualTo(task);
    }

    @Test
    void aKnownTaskWithARefusedKeyIsAuthFailedBy1008() {
        String task = ((ProviderChunk.Handles)
                        aui.provider().stream(aui.call("make a task", Map.of(), Map.of(), Conversation.empty()))
                                .collect()
                                .first()
                                .await()
                                .atMost(Duration.ofSeconds(10)))
                .handles()
                .get("task_id");
        Conversation known = Conversation.empty().withHandles(Map.of("task_id", task));
        assertFails(aui.call(QUESTION, Map.of("api-key", "wrong-key"), Map.of(), known), ErrorCode.AUTH_FAILED);
        await().atMost(Duration.ofSeconds(5)).until(() -> aui.fixture().openStreams() == 0);
    }

    @Test
    void anUpgradeRefusedWithHttp403IsAuthFailed() throws Exception {
        // Some ASGI servers turn a close before accept into an HTTP 403 on the handshake.
        HttpServer refusing = aui.vertx()
                .createHttpServer()
                .requestHandler(r -> r.response().setStatusCode(403).end("{\"detail\":\"Forbidden\"}"));
        int port = refusing.listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get()
                .actualPort();
        try {
            Conversation known = Conversation.empty().withHandles(Map.of("task_id", "t-1"));
            assertFails(
                    aui.call(QUESTION, Map.of("url", "ws://127.0.0.1:" + port + "/x"), Map.of(), known),
                    ErrorCode.AUTH_FAILED);
        } finally {
            refusing.close();
        }
    }

    @Test
    void aHandshakeThatNeverAnswersFailsWithinTheConnectTimeout() throws Exception {
        // Accepts TCP (the kernel backlog does) but never answers the upgrade.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Conversation known = Conversation.empty().withHandles(Map.of("task_id", "t-1"));
            long started = System.nanoTime();
            assertFails(
                    aui.call(
                            QUESTION,
                            Map.of("url", "ws://127.0.0.1:" + silent.getLocalPort(), "connect-timeout", "300ms"),
                            Map.of(),
                            known),
                    ErrorCode.PROVIDER_UNAVAILABLE);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void aDroppedConnectionIsIncompleteNotAClose() {
        assertThatThrownBy(() -> aui.provider().stream(
                                aui.call(QUESTION + " #sim:cut-after=3", Map.of(), Map.of(), Conversation.empty()))
                        .collect()
                        .asList()
                        .await()
                        .atMost(Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INCOMPLETE);
                    assertThat(e.getMessage()).contains("dropped");
                });
        await().atMost(Duration.ofSeconds(5)).until(() -> aui.fixture().openStreams() == 0);
    }

    private static void assertFails(ProviderCall call, ErrorCode code) {
        assertThatThrownBy(() ->
                        aui.provider().stream(call).collect().asList().await().atMost(Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.code()).isEqualTo(code));
    }
}
