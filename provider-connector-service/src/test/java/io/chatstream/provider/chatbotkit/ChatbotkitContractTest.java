package io.chatstream.provider.chatbotkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chatstream.connector.provider.ProviderContractTest;
import io.chatstream.contract.event.ErrorCode;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.provider.ChatProvider;
import io.chatstream.provider.Conversation;
import io.chatstream.provider.ProviderCall;
import io.chatstream.provider.ProviderChunk;
import io.chatstream.provider.ProviderException;
import io.chatstream.provider.chatbotkit.simulator.ChatbotkitSimulator;
import io.chatstream.provider.testkit.TestBots;
import io.chatstream.simulator.common.ScriptedAnswer;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChatbotkitContractTest extends ProviderContractTest {

    private ChatbotkitSimulator simulator;
    private int port;

    @Override
    protected String providerName() {
        return "chatbotkit";
    }

    @Override
    protected ChatProvider newProvider(Vertx vertx, Map<String, String> botOptions) {
        return new ChatbotkitProvider(vertx, TestBots.options(ChatbotkitConfig.class, botOptions));
    }

    @Override
    protected Map<String, String> startSimulator(Vertx vertx) throws Exception {
        simulator = new ChatbotkitSimulator(vertx, "sim-key", Map.of());
        port = simulator.listen(0).toCompletionStage().toCompletableFuture().get();
        return Map.of("url", "http://127.0.0.1:" + port, "api-key", "sim-key");
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
                "#sim:crlf",
                "#sim:blank-lines",
                "#sim:split #sim:crlf #sim:blank-lines",
                "#sim:reasoning",
                "#sim:unknown-types",
                "#sim:token-auth",
                "#sim:no-api-prefix",
                "#sim:token-auth #sim:no-api-prefix",
                "#sim:no-result",
                "#sim:no-usage",
                "#sim:end-reason=length");
    }

    @Override
    protected Map<String, ErrorCode> failureSwitches() {
        Map<String, ErrorCode> switches = new LinkedHashMap<>(super.failureSwitches());
        switches.put("#sim:end-reason=error", ErrorCode.PROVIDER_ERROR);
        switches.put("#sim:split #sim:malformed-after=2", ErrorCode.PROTOCOL_ERROR);
        return switches;
    }

    @Override
    protected void assertSameConversation(String firstQuestion, String firstAnswer, String secondQuestion) {
        List<ChatbotkitSimulator.Received> received = simulator.received();
        String first = received.stream()
                .filter(r -> r.text().equals(firstQuestion))
                .reduce((a, b) -> b)
                .orElseThrow()
                .conversationId();
        String second = received.stream()
                .filter(r -> r.text().equals(secondQuestion))
                .reduce((a, b) -> b)
                .orElseThrow()
                .conversationId();
        assertThat(second).isEqualTo(first);
        assertThat(simulator.conversation(second))
                .startsWith("user: " + firstQuestion, "bot: " + firstAnswer, "user: " + secondQuestion);
    }

    @Test
    void oneVendorConversationPerSession() {
        String session = session();
        int before = simulator.conversationsCreated();
        ask(session, "one", Map.of());
        ask(session, "two", Map.of());
        ask(session, "three", Map.of());
        assertThat(simulator.conversationsCreated() - before).isEqualTo(1);
        ask(session(), "other session", Map.of());
        assertThat(simulator.conversationsCreated() - before).isEqualTo(2);
    }

    @Test
    void theResultTextIsTheFinalText() {
        Answer answer = ask(session(), QUESTION + " #sim:final-differs", Map.of());
        MessageEvent.Completed terminal = answer.terminal(MessageEvent.Completed.class);
        assertThat(terminal.type()).isEqualTo(MessageEvent.COMPLETED);
        assertThat(terminal.text()).isEqualTo(expectedAnswer(QUESTION) + ChatbotkitSimulator.FINAL_SUFFIX);
        assertThat(answer.deltaText()).isEqualTo(terminal.text());
        assertThat(terminal.data()).containsEntry("endReason", "stop");
        assertThat(terminal.usage().source()).isEqualTo("vendor");
    }

    @Test
    void anEndReasonOtherThanErrorIsKeptInTheCompletedData() {
        Answer answer = ask(session(), QUESTION + " #sim:end-reason=length", Map.of());
        assertThat(answer.terminal(MessageEvent.Completed.class).data()).containsEntry("endReason", "length");
    }

    @Test
    void anOlderServerWithTokenAuthAndPathsWithoutApiIsLearned() throws Exception {
        ChatbotkitSimulator legacy =
                new ChatbotkitSimulator(vertx, "sim-key", Map.of("token-auth", "true", "no-api-prefix", "true"));
        int legacyPort =
                legacy.listen(0).toCompletionStage().toCompletableFuture().get();
        try {
            Map<String, String> options = Map.of("url", "http://127.0.0.1:" + legacyPort);
            String session = session();
            Answer first = ask(session, QUESTION, options);
            assertThat(first.terminal().text()).isEqualTo(expectedAnswer(QUESTION));
            int requests = legacy.requests();
            ask(session, QUESTION, options);
            // learned: the second message goes straight to /v1 with Token
            assertThat(legacy.requests() - requests).isEqualTo(1);
            assertThat(legacy.received()).allSatisfy(r -> {
                assertThat(r.path()).startsWith("/v1/conversation/");
                assertThat(r.authorization()).isEqualTo("Token sim-key");
            });
        } finally {
            legacy.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    @Test
    void aConversationTheVendorForgotIsReplacedByANewOne() {
        ProviderCall call = new ProviderCall(
                "bot",
                TestBots.bot("chatbotkit", Map.of("url", "http://127.0.0.1:" + port, "api-key", "sim-key")),
                session(),
                "m-1",
                "hello",
                Map.of(),
                new Conversation(Map.of(ChatbotkitProvider.HANDLE, "cnv_gone"), List.of()));
        AssertSubscriber<ProviderChunk> chunks =
                provider.stream(call).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        chunks.awaitCompletion(Duration.ofSeconds(10));
        ProviderChunk first = chunks.getItems().get(0);
        assertThat(first).isInstanceOf(ProviderChunk.Handles.class);
        assertThat(((ProviderChunk.Handles) first).handles().get(ChatbotkitProvider.HANDLE))
                .isNotEqualTo("cnv_gone")
                .startsWith("cnv_sim");
        assertThat(chunks.getItems().get(chunks.getItems().size() - 1)).isInstanceOf(ProviderChunk.Completion.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"create", "complete"})
    void theConnectTimeoutIsHonoured(String call) throws Exception {
        // A listening socket whose accept queue is full: the kernel drops further SYNs, so a connection
        // attempt hangs until the client gives up (a blackhole address may be answered by a proxy).
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    Socket filler = new Socket();
                    try {
                        filler.connect(
                                new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort()), 200);
                        fillers.add(filler);
                    } catch (java.io.IOException queueFull) {
                        filler.close();
                        break;
                    }
                }
                Map<String, String> options = new HashMap<>();
                options.put("url", "http://127.0.0.1:" + full.getLocalPort());
                options.put("api-key", "sim-key");
                options.put("connect-timeout", "300ms");
                Conversation conversation = call.equals("create")
                        ? Conversation.empty()
                        : new Conversation(Map.of(ChatbotkitProvider.HANDLE, "cnv_x"), List.of());
                ProviderCall providerCall = new ProviderCall(
                        "bot", TestBots.bot("chatbotkit", options), session(), "m-1", "hello", Map.of(), conversation);
                long start = System.nanoTime();
                AssertSubscriber<ProviderChunk> chunks = provider.stream(providerCall)
                        .subscribe()
                        .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
                chunks.awaitFailure(Duration.ofSeconds(10));
                assertThat(chunks.getFailure())
                        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.code())
                                .isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE));
                assertThat(chunks.getFailure()).hasMessageContaining("300 ms");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            } finally {
                for (Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    @Test
    void cancelDuringTheStreamClosesTheVendorConnection() {
        String session = session();
        ask(session, "warm up", Map.of()); // the conversation exists: the next call streams at once
        ProviderCall call = new ProviderCall(
                "bot",
                TestBots.bot("chatbotkit", Map.of("url", "http://127.0.0.1:" + port, "api-key", "sim-key")),
                session,
                "m-2",
                "long #sim:tokens=500 #sim:pace=20ms",
                Map.of(),
                new Conversation(
                        Map.of(
                                ChatbotkitProvider.HANDLE,
                                simulator
                                        .received()
                                        .get(simulator.received().size() - 1)
                                        .conversationId()),
                        List.of()));
        AssertSubscriber<ProviderChunk> chunks =
                provider.stream(call).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        await().atMost(Duration.ofSeconds(5)).until(() -> chunks.getItems().size() >= 2);
        assertThat(simulator.openStreams()).isEqualTo(1);
        chunks.cancel();
        await().atMost(Duration.ofSeconds(5)).until(() -> simulator.openStreams() == 0);
    }
}
