package io.chatstream.provider.chatbase;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatstream.connector.provider.ProviderContractTest;
import io.chatstream.contract.event.ErrorCode;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.provider.ChatProvider;
import io.chatstream.provider.ProviderCall;
import io.chatstream.provider.ProviderChunk;
import io.chatstream.provider.ProviderException;
import io.chatstream.provider.chatbase.simulator.ChatbaseSimulator;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatbaseContractTest extends ProviderContractTest {

    private ChatbaseSimulator simulator;

    @Override
    protected String providerName() {
        return "chatbase";
    }

    @Override
    protected ChatProvider newProvider(Vertx vertx, Map<String, String> botOptions) {
        return new ChatbaseProvider(vertx, TestBots.options(ChatbaseConfig.class, botOptions));
    }

    @Override
    protected Map<String, String> startSimulator(Vertx vertx) throws Exception {
        simulator = new ChatbaseSimulator(vertx, "sim-key", Map.of());
        int port = simulator.listen(0).toCompletionStage().toCompletableFuture().get();
        return Map.of("url", "http://127.0.0.1:" + port, "api-key", "sim-key", "chatbot-id", "sim-chatbot");
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
                "#sim:sse",
                "#sim:sse #sim:split",
                "#sim:chat-id",
                "#sim:chat-id #sim:sse #sim:split");
    }

    /**
     * Raw text has no frames: an error after HTTP 200 can only break the body off (incomplete, as
     * the failure table says of a stream without its end signal), and nothing in it can fail to
     * parse, so {@code malformed-after} is no failure in either framing (see {@link
     * #bytesThatAreNotUtf8BecomeReplacementCharacters()}). In SSE framing the in-band error is
     * {@code event: error}.
     */
    @Override
    protected Map<String, ErrorCode> failureSwitches() {
        Map<String, ErrorCode> switches = new LinkedHashMap<>(super.failureSwitches());
        switches.remove("#sim:malformed-after=2");
        switches.put("#sim:error-after=2", ErrorCode.INCOMPLETE);
        switches.put("#sim:sse #sim:error-after=2", ErrorCode.PROVIDER_ERROR);
        switches.put("#sim:sse #sim:cut-after=2", ErrorCode.INCOMPLETE);
        switches.put("#sim:sse #sim:split #sim:cut-after=3", ErrorCode.INCOMPLETE);
        switches.put("#sim:sse #sim:stall-after=2", ErrorCode.PROVIDER_TIMEOUT);
        return switches;
    }

    @Override
    protected void assertSameConversation(String firstQuestion, String firstAnswer, String secondQuestion) {
        JsonNode second = lastBodyWith(secondQuestion);
        // Stateless API: the earlier turns travel with the message.
        JsonNode messages = second.path("messages");
        assertThat(messages).hasSize(3);
        assertThat(messages.get(0).path("role").asText()).isEqualTo("user");
        assertThat(messages.get(0).path("content").asText()).isEqualTo(firstQuestion);
        assertThat(messages.get(1).path("role").asText()).isEqualTo("assistant");
        assertThat(messages.get(1).path("content").asText()).isEqualTo(firstAnswer);
        assertThat(messages.get(2).path("content").asText()).isEqualTo(secondQuestion);
        assertThat(second.path("conversationId").asText())
                .isEqualTo(lastBodyWith(firstQuestion).path("conversationId").asText())
                .isNotBlank();
    }

    @Test
    void theRequestNamesTheChatbotBothWaysAndStreams() {
        ask(session(), "body check", Map.of());
        JsonNode body = lastBodyWith("body check");
        assertThat(body.path("chatbotId").asText()).isEqualTo("sim-chatbot");
        assertThat(body.path("chatId").asText()).isEqualTo("sim-chatbot");
        assertThat(body.path("stream").asBoolean()).isTrue();
    }

    @Test
    void bytesThatAreNotUtf8BecomeReplacementCharacters() {
        for (String framing : List.of("", " #sim:sse")) {
            MessageEvent.Terminal terminal = ask(session(), QUESTION + " #sim:malformed-after=2" + framing, Map.of())
                    .terminal();
            assertThat(terminal.type()).as(framing).isEqualTo(MessageEvent.COMPLETED);
            assertThat(terminal.text()).as(framing).contains("\uFFFD");
        }
    }

    @Test
    void theConnectTimeoutIsHonoured() throws Exception {
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
                Map<String, String> options = Map.of(
                        "url", "http://127.0.0.1:" + full.getLocalPort(),
                        "chatbot-id", "sim-chatbot",
                        "connect-timeout", "300ms");
                ProviderCall call =
                        new ProviderCall("bot", TestBots.bot("chatbase", options), session(), "m-1", "hello", Map.of());
                long start = System.nanoTime();
                AssertSubscriber<ProviderChunk> chunks =
                        provider.stream(call).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
                chunks.awaitFailure(Duration.ofSeconds(10));
                assertThat(chunks.getFailure())
                        .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.code())
                                .isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE))
                        .hasMessageContaining("300 ms");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            } finally {
                for (Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    private JsonNode lastBodyWith(String question) {
        return simulator.receivedBodies().stream()
                .filter(b -> {
                    JsonNode m = b.path("messages");
                    return m.get(m.size() - 1).path("content").asText().equals(question);
                })
                .reduce((a, b) -> b)
                .orElseThrow();
    }
}
