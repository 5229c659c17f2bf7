package io.chatstream.provider.lingoblocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.chatstream.contract.event.ErrorCode;
import io.chatstream.provider.Conversation;
import io.chatstream.provider.ProviderCall;
import io.chatstream.provider.ProviderChunk;
import io.chatstream.provider.ProviderException;
import io.chatstream.provider.lingoblocks.simulator.LingoBlocksSimulator;
import io.chatstream.provider.testkit.TestBots;
import io.chatstream.simulator.common.ScriptedAnswer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The LingoBlocks transport beyond the shared contract: the websocket upgrade and the polling-only
 * case, the heartbeat, a token that expired between two messages (refused by a CONNECT_ERROR or by
 * HTTP 403 on the handshake), and the connect timeout.
 */
class LingoBlocksProviderTest {

    private Vertx vertx;
    private LingoBlocksProvider provider;
    private final List<LingoBlocksSimulator> simulators = new ArrayList<>();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        provider = new LingoBlocksProvider(
                vertx, TestBots.options(LingoBlocksConfig.class, Map.of("chatbot-id", "sim-chatbot")));
    }

    @AfterEach
    void stop() throws Exception {
        for (LingoBlocksSimulator s : simulators) {
            s.close().toCompletionStage().toCompletableFuture().get();
        }
        provider.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    private record Run(LingoBlocksSimulator simulator, String url) {}

    private Run simulator(Map<String, String> defaults) throws Exception {
        LingoBlocksSimulator simulator = new LingoBlocksSimulator(vertx, "sim-chatbot", defaults);
        simulators.add(simulator);
        int port = simulator.listen(0).toCompletionStage().toCompletableFuture().get();
        return new Run(simulator, "http://127.0.0.1:" + port);
    }

    private ProviderCall call(String url, String text, Conversation conversation, Map<String, String> extra) {
        Map<String, String> options = new HashMap<>(Map.of("url", url, "chatbot-id", "sim-chatbot"));
        options.putAll(extra);
        return new ProviderCall(
                "bot", TestBots.bot("lingoblocks", options), "s-1", "m-1", text, Map.of(), conversation);
    }

    private List<ProviderChunk> stream(ProviderCall call) {
        return provider.stream(call).collect().asList().await().atMost(Duration.ofSeconds(15));
    }

    private static String deltaText(List<ProviderChunk> chunks) {
        StringBuilder text = new StringBuilder();
        chunks.stream()
                .filter(c -> c instanceof ProviderChunk.Delta)
                .forEach(c -> text.append(((ProviderChunk.Delta) c).text()));
        return text.toString();
    }

    private static long deltaCount(List<ProviderChunk> chunks) {
        return chunks.stream().filter(c -> c instanceof ProviderChunk.Delta).count();
    }

    private static ProviderChunk.Completion completion(List<ProviderChunk> chunks) {
        return (ProviderChunk.Completion) chunks.get(chunks.size() - 1);
    }

    @Test
    void upgradesToWebSocketAndStreamsEveryTokenAsADelta() throws Exception {
        Run run = simulator(Map.of());
        String question = "What is new";
        List<ProviderChunk> chunks =
                stream(call(run.url(), question + " #sim:pace=20ms", Conversation.empty(), Map.of()));

        String expected = String.join("", ScriptedAnswer.tokens(question, 12));
        assertThat(deltaText(chunks)).isEqualTo(expected);
        assertThat(deltaCount(chunks))
                .as("the socket streamed, not only the final answer")
                .isGreaterThan(6);
        assertThat(completion(chunks).finalText()).contains(expected);
        assertThat(completion(chunks).data()).containsEntry("chatbotId", "sim-chatbot");
        assertThat(run.simulator().upgrades()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> run.simulator().openStreams() == 0);
    }

    @Test
    void aFailureDuringTheUpgradeLeavesNoSessionOnTheServer() throws Exception {
        // The client fails while its polling is paused for the upgrade: it sends no close itself,
        // and the server would hold the session until its ping timeout (45 s).
        Run run = simulator(Map.of("malformed-on-upgrade", "true"));
        ProviderCall call = call(run.url(), "What is new #sim:pace=20ms", Conversation.empty(), Map.of());

        assertThatThrownBy(() -> stream(call)).isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.code())
                .isEqualTo(ErrorCode.PROTOCOL_ERROR));
        await().atMost(Duration.ofSeconds(5)).until(() -> run.simulator().openStreams() == 0);
    }

    @Test
    void pollingOnlyServerWithFramesSplitAtEveryByte() throws Exception {
        Run run = simulator(Map.of("upgrade", "false"));
        String question = "Polling naïve 日本語";
        List<ProviderChunk> chunks = stream(call(
                run.url(), question + " #sim:pace=20ms #sim:split #sim:cumulative", Conversation.empty(), Map.of()));

        assertThat(deltaText(chunks)).isEqualTo(String.join("", ScriptedAnswer.tokens(question, 12)));
        assertThat(deltaCount(chunks)).isGreaterThan(6);
        assertThat(run.simulator().upgrades()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> run.simulator().openStreams() == 0);
    }

    @Test
    void answersThePingsOfALongAnswer() throws Exception {
        Run run = simulator(Map.of("ping-interval", "100ms", "ping-timeout", "300ms"));
        List<ProviderChunk> chunks =
                stream(call(run.url(), "slow one #sim:pace=80ms #sim:tokens=12", Conversation.empty(), Map.of()));

        assertThat(completion(chunks).finalText()).contains(deltaText(chunks));
        assertThat(run.simulator().pongs()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aNewSessionAuthenticatesOnceAndKeepsTheTokenAsItsHandle() throws Exception {
        Run run = simulator(Map.of());
        List<ProviderChunk> chunks = stream(call(run.url(), "hello", Conversation.empty(), Map.of()));

        List<ProviderChunk.Handles> handles = chunks.stream()
                .filter(c -> c instanceof ProviderChunk.Handles)
                .map(c -> (ProviderChunk.Handles) c)
                .toList();
        assertThat(handles).hasSize(1);
        assertThat(chunks.get(0)).as("kept before the answer streams").isInstanceOf(ProviderChunk.Handles.class);
        String token = handles.get(0).handles().get(LingoBlocksExchange.TOKEN_HANDLE);
        assertThat(run.simulator().authenticateRequests()).containsExactly("");
        assertThat(run.simulator().receivedMessages().get(0).accessToken()).isEqualTo(token);

        // The next message of the session reuses it without authenticating again.
        Conversation next = new Conversation(Map.of(LingoBlocksExchange.TOKEN_HANDLE, token), List.of());
        List<ProviderChunk> second = stream(call(run.url(), "again", next, Map.of()));
        assertThat(second).noneMatch(c -> c instanceof ProviderChunk.Handles);
        assertThat(run.simulator().authenticateRequests()).hasSize(1);
        assertThat(run.simulator().receivedMessages().get(1).accessToken()).isEqualTo(token);
    }

    @Test
    void anExpiredTokenRefusedWithAConnectErrorIsRenewed() throws Exception {
        expiredTokenIsRenewed(simulator(Map.of()));
    }

    @Test
    void anExpiredTokenRefusedWithHttp403OnTheHandshakeIsRenewed() throws Exception {
        expiredTokenIsRenewed(simulator(Map.of("refuse", "http")));
    }

    private void expiredTokenIsRenewed(Run run) {
        String old = ((ProviderChunk.Handles) stream(call(run.url(), "first", Conversation.empty(), Map.of()))
                        .get(0))
                .handles()
                .get(LingoBlocksExchange.TOKEN_HANDLE);
        run.simulator().revokeAllTokens();

        Conversation expired = new Conversation(Map.of(LingoBlocksExchange.TOKEN_HANDLE, old), List.of());
        List<ProviderChunk> chunks = stream(call(run.url(), "second", expired, Map.of()));

        String renewed = ((ProviderChunk.Handles) chunks.get(0)).handles().get(LingoBlocksExchange.TOKEN_HANDLE);
        assertThat(renewed).isNotEqualTo(old);
        assertThat(completion(chunks).finalText()).isPresent();
        // The renewal sends the old token, as the vendor's docs ask, and gets a new one back.
        assertThat(run.simulator().authenticateRequests()).containsExactly("", old);
        assertThat(run.simulator().receivedMessages().get(1).accessToken()).isEqualTo(renewed);
    }

    @Test
    void aReusedTokenRefusedByMessageIsRenewedOnceThenAuthFailed() throws Exception {
        Run run = simulator(Map.of());
        String token = ((ProviderChunk.Handles) stream(call(run.url(), "first", Conversation.empty(), Map.of()))
                        .get(0))
                .handles()
                .get(LingoBlocksExchange.TOKEN_HANDLE);
        Conversation session = new Conversation(Map.of(LingoBlocksExchange.TOKEN_HANDLE, token), List.of());

        ProviderException failure = failure(call(run.url(), "second #sim:status=401", session, Map.of()));

        assertThat(failure.code()).isEqualTo(ErrorCode.AUTH_FAILED);
        assertThat(run.simulator().authenticateRequests()).containsExactly("", token);
        assertThat(run.simulator().receivedMessages()).hasSize(3);
        await().atMost(Duration.ofSeconds(5)).until(() -> run.simulator().openStreams() == 0);
    }

    @Test
    void aSocketServerThatNeverAnswersIsUnavailableAfterTheConnectTimeout() throws Exception {
        // Authenticates, then holds every socket.io request without an answer.
        HttpServer silent = vertx.createHttpServer()
                .requestHandler(request -> {
                    if (request.path().endsWith("/authenticate")) {
                        request.response()
                                .putHeader("Content-Type", "application/json")
                                .end("{\"accessToken\":\"t\"}");
                    }
                })
                .listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get();
        long start = System.nanoTime();
        ProviderException failure = failure(call(
                "http://127.0.0.1:" + silent.actualPort(),
                "hello",
                Conversation.empty(),
                Map.of("connect-timeout", "500ms")));
        assertThat(failure.code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        silent.close();
    }

    @Test
    void nothingListeningIsUnavailable() throws Exception {
        Run run = simulator(Map.of());
        String url = run.url();
        run.simulator().close().toCompletionStage().toCompletableFuture().get();
        simulators.remove(run.simulator());
        assertThat(failure(call(url, "hello", Conversation.empty(), Map.of())).code())
                .isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
    }

    @Test
    void aBotWithoutChatbotIdFailsClearly() {
        ProviderCall call = new ProviderCall(
                "bot", TestBots.bot("lingoblocks", Map.of("url", "http://127.0.0.1:1")), "s", "m", "hi", Map.of());
        LingoBlocksProvider withoutId =
                new LingoBlocksProvider(vertx, TestBots.options(LingoBlocksConfig.class, Map.of()));
        ProviderException failure;
        try {
            failure = failure(
                    () -> withoutId.stream(call).collect().asList().await().atMost(Duration.ofSeconds(15)));
        } finally {
            withoutId.close();
        }
        assertThat(failure.code()).isEqualTo(ErrorCode.PROVIDER_ERROR);
        assertThat(failure.getMessage()).contains("chatbot-id");
    }

    private ProviderException failure(ProviderCall call) {
        return failure(() -> stream(call));
    }

    private static ProviderException failure(Runnable streaming) {
        try {
            streaming.run();
        } catch (ProviderException e) {
            return e;
        } catch (CompletionException e) {
            return (ProviderException) e.getCause();
        }
        throw new AssertionError("the stream did not fail");
    }
}
