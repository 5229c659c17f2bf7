package io.chatstream.provider.aui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatstream.connector.provider.ProviderContractTest;
import io.chatstream.contract.event.ErrorCode;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.provider.ChatProvider;
import io.chatstream.provider.Conversation;
import io.chatstream.provider.ProviderCall;
import io.chatstream.provider.ProviderChunk;
import io.chatstream.provider.ProviderException;
import io.chatstream.provider.aui.simulator.AuiSimulator;
import io.chatstream.provider.testkit.TestBots;
import io.chatstream.simulator.common.ScriptedAnswer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AuiContractTest extends ProviderContractTest {

    private AuiSimulator simulator;
    private String url;

    @Override
    protected String providerName() {
        return "aui";
    }

    @Override
    protected ChatProvider newProvider(Vertx vertx, Map<String, String> botOptions) {
        return new AuiProvider(vertx);
    }

    @Override
    protected Map<String, String> startSimulator(Vertx vertx) throws Exception {
        simulator = new AuiSimulator(vertx, "sim-key", Map.of());
        int port = simulator.listen(0).toCompletionStage().toCompletableFuture().get();
        url = "ws://127.0.0.1:" + port + "/api/ia-controller";
        return Map.of("url", url, "api-key", "sim-key");
    }

    @Override
    protected void stopSimulator() throws Exception {
        simulator.close().toCompletionStage().toCompletableFuture().get();
    }

    @Override
    protected int openStreams() {
        return simulator.openStreams();
    }

    @Override
    protected String expectedAnswer(String question) {
        return String.join("", ScriptedAnswer.tokens(question, 12));
    }

    @Override
    protected List<String> wireVariants() {
        return List.of(
                "",
                "#sim:split",
                "#sim:shape=spec",
                "#sim:products=cards",
                "#sim:shape=spec #sim:products=cards",
                "#sim:shape=spec #sim:products=cards #sim:split");
    }

    @Override
    protected Map<String, ErrorCode> failureSwitches() {
        Map<String, ErrorCode> switches = super.failureSwitches();
        switches.put("#sim:status=403", ErrorCode.AUTH_FAILED);
        // An application error (payload 400, close 1008) before and after the first token.
        switches.put("#sim:error-after=0", ErrorCode.PROVIDER_ERROR);
        switches.put("#sim:shape=spec #sim:error-after=3", ErrorCode.PROVIDER_ERROR);
        // An internal error mid-answer: payload 500, close 1011.
        switches.put("#sim:error-after=2 #sim:error-status=500", ErrorCode.PROVIDER_UNAVAILABLE);
        // Close codes alone, no payload.
        switches.put("#sim:bare-close=1011", ErrorCode.PROVIDER_UNAVAILABLE);
        switches.put("#sim:bare-close=1008", ErrorCode.AUTH_FAILED);
        switches.put("#sim:bare-close=1000", ErrorCode.INCOMPLETE);
        switches.put("#sim:split #sim:cut-after=3", ErrorCode.INCOMPLETE);
        switches.put("#sim:split #sim:malformed-after=1", ErrorCode.PROTOCOL_ERROR);
        return switches;
    }

    /** The same task id reached the vendor with both messages, and it is a task the vendor created. */
    @Override
    protected void assertSameConversation(String firstQuestion, String firstAnswer, String secondQuestion) {
        String first = received(firstQuestion).path("task_id").asText();
        String second = received(secondQuestion).path("task_id").asText();
        assertThat(first).isNotBlank().isEqualTo(second);
        assertThat(simulator.tasks()).containsKey(first);
    }

    @Test
    void aRewrittenAnswerEndsWithAResetAndTheVendorsFinalText() {
        Answer answer = ask(session(), QUESTION + " #sim:rewrite", Map.of());
        MessageEvent.Terminal completed = answer.terminal();
        assertThat(completed.type()).isEqualTo(MessageEvent.COMPLETED);
        assertThat(answer.events()).extracting(MessageEvent::type).contains(MessageEvent.RESET);
        String expected = "Your" + expectedAnswer(QUESTION).substring(3);
        assertThat(completed.text()).isEqualTo(expected).isEqualTo(answer.deltaText());
    }

    @Test
    void aFinalTextLongerThanTheProgressEndsWithTheMissingSuffix() {
        Answer answer = ask(session(), QUESTION + " #sim:final-extra #sim:split", Map.of());
        MessageEvent.Terminal completed = answer.terminal();
        assertThat(completed.type()).isEqualTo(MessageEvent.COMPLETED);
        assertThat(answer.events()).extracting(MessageEvent::type).doesNotContain(MessageEvent.RESET);
        assertThat(completed.text())
                .isEqualTo(expectedAnswer(QUESTION) + " See the products below.")
                .isEqualTo(answer.deltaText());
    }

    @Test
    void productsSuggestionsAndMessageIdAreKeptInTheCompletedData() {
        for (String products : List.of("options", "cards")) {
            Answer answer = ask(session(), QUESTION + " #sim:shape=spec #sim:products=" + products, Map.of());
            Map<String, Object> data =
                    answer.terminal(MessageEvent.Completed.class).data();
            assertThat(data).containsKeys("message_id", "task_id", "followup_suggestions", "sender", "created_at");
            assertThat(data).doesNotContainKeys("text", "options", "cards");
            assertThat((List<?>) data.get("products")).hasSize(2);
            assertThat((List<?>) data.get("followup_suggestions")).isNotEmpty();
        }
    }

    @Test
    void theClientContextTravelsWithTheMessage() {
        Map<String, Object> context = Map.of("url", "https://example.com/p", "lead_details", Map.of("budget", "300"));
        List<ProviderChunk> chunks = provider.stream(call("with context", Map.of(), context, Conversation.empty()))
                .collect()
                .asList()
                .await()
                .atMost(Duration.ofSeconds(10));
        assertThat(chunks.get(0)).isInstanceOf(ProviderChunk.Handles.class);
        assertThat(chunks.get(chunks.size() - 1)).isInstanceOf(ProviderChunk.Completion.class);
        JsonNode sent = received("with context");
        assertThat(sent.path("context").path("url").asText()).isEqualTo("https://example.com/p");
        assertThat(sent.path("context").path("lead_details").path("budget").asText())
                .isEqualTo("300");
        String task = ((ProviderChunk.Handles) chunks.get(0)).handles().get("task_id");
        assertThat(sent.path("task_id").asText()).isEqualTo(task);
    }

    @Test
    void aKnownTaskWithARefusedKeyIsAuthFailedBy1008() {
        String task = ((ProviderChunk.Handles)
                        provider.stream(call("make a task", Map.of(), Map.of(), Conversation.empty()))
                                .collect()
                                .first()
                                .await()
                                .atMost(Duration.ofSeconds(10)))
                .handles()
                .get("task_id");
        Conversation known = Conversation.empty().withHandles(Map.of("task_id", task));
        assertFails(call(QUESTION, Map.of("api-key", "wrong-key"), Map.of(), known), ErrorCode.AUTH_FAILED);
        await().atMost(Duration.ofSeconds(5)).until(() -> openStreams() == 0);
    }

    @Test
    void anUpgradeRefusedWithHttp403IsAuthFailed() throws Exception {
        // Some ASGI servers turn a close before accept into an HTTP 403 on the handshake.
        HttpServer refusing = vertx.createHttpServer()
                .requestHandler(r -> r.response().setStatusCode(403).end("{\"detail\":\"Forbidden\"}"));
        int port = refusing.listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get()
                .actualPort();
        try {
            Conversation known = Conversation.empty().withHandles(Map.of("task_id", "t-1"));
            assertFails(
                    call(QUESTION, Map.of("url", "ws://127.0.0.1:" + port + "/x"), Map.of(), known),
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
                    call(
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
        assertThatThrownBy(() -> provider.stream(
                                call(QUESTION + " #sim:cut-after=3", Map.of(), Map.of(), Conversation.empty()))
                        .collect()
                        .asList()
                        .await()
                        .atMost(Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INCOMPLETE);
                    assertThat(e.getMessage()).contains("dropped");
                });
        await().atMost(Duration.ofSeconds(5)).until(() -> openStreams() == 0);
    }

    private void assertFails(ProviderCall call, ErrorCode code) {
        assertThatThrownBy(
                        () -> provider.stream(call).collect().asList().await().atMost(Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    private ProviderCall call(
            String text, Map<String, String> extraOptions, Map<String, Object> context, Conversation conversation) {
        Map<String, String> options = new HashMap<>(Map.of("url", url, "api-key", "sim-key"));
        options.putAll(extraOptions);
        return new ProviderCall(
                "bot", TestBots.bot("aui", options), session(), "m-" + UUID.randomUUID(), text, context, conversation);
    }

    private JsonNode received(String text) {
        return simulator.receivedMessages().stream()
                .filter(m -> m.path("text").asText().equals(text))
                .reduce((a, b) -> b)
                .orElseThrow();
    }
}
