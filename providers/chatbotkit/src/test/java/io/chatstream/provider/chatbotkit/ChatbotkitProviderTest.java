package io.chatstream.provider.chatbotkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chatstream.contract.event.ErrorCode;
import io.chatstream.provider.Conversation;
import io.chatstream.provider.ProviderChunk;
import io.chatstream.provider.ProviderException;
import io.chatstream.provider.chatbotkit.simulator.ChatbotkitContractFixture;
import io.chatstream.provider.chatbotkit.simulator.ChatbotkitSimulator;
import io.chatstream.provider.testkit.RunningFixture;
import io.chatstream.provider.testkit.UnansweredPort;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ChatBotKit provider beyond the shared contract (the connector's ProviderContractTest, with
 * {@link ChatbotkitContractFixture}), called without the streamer: a conversation the vendor forgot,
 * the connect timeout of both calls, a cancel during the stream.
 */
class ChatbotkitProviderTest {

    @RegisterExtension
    static final RunningFixture<ChatbotkitContractFixture> chatbotkit =
            RunningFixture.of(new ChatbotkitContractFixture());

    @Test
    void aConversationTheVendorForgotIsReplacedByANewOne() {
        Conversation gone = new Conversation(Map.of(ChatbotkitProvider.HANDLE, "cnv_gone"), List.of());
        AssertSubscriber<ProviderChunk> chunks = subscribe(chatbotkit.call("hello", Map.of(), Map.of(), gone));
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
        try (UnansweredPort unanswered = UnansweredPort.open()) {
            Map<String, String> options =
                    Map.of("url", "http://127.0.0.1:" + unanswered.port(), "connect-timeout", "300ms");
            Conversation conversation = call.equals("create")
                    ? Conversation.empty()
                    : new Conversation(Map.of(ChatbotkitProvider.HANDLE, "cnv_x"), List.of());
            long start = System.nanoTime();
            AssertSubscriber<ProviderChunk> chunks =
                    subscribe(chatbotkit.call("hello", options, Map.of(), conversation));
            chunks.awaitFailure(Duration.ofSeconds(10));
            assertThat(chunks.getFailure()).isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.code())
                    .isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE));
            assertThat(chunks.getFailure()).hasMessageContaining("300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void cancelDuringTheStreamClosesTheVendorConnection() {
        // The conversation exists: the next call streams at once.
        subscribe(chatbotkit.call("warm up", Map.of(), Map.of(), Conversation.empty()))
                .awaitCompletion(Duration.ofSeconds(10));
        ChatbotkitSimulator simulator = chatbotkit.fixture().simulator();
        String conversation =
                simulator.received().get(simulator.received().size() - 1).conversationId();
        AssertSubscriber<ProviderChunk> chunks = subscribe(chatbotkit.call(
                "long #sim:tokens=500 #sim:pace=20ms",
                Map.of(),
                Map.of(),
                new Conversation(Map.of(ChatbotkitProvider.HANDLE, conversation), List.of())));
        await().atMost(Duration.ofSeconds(5)).until(() -> chunks.getItems().size() >= 2);
        assertThat(simulator.openStreams()).isEqualTo(1);
        chunks.cancel();
        await().atMost(Duration.ofSeconds(5)).until(() -> simulator.openStreams() == 0);
    }

    private static AssertSubscriber<ProviderChunk> subscribe(io.chatstream.provider.ProviderCall call) {
        return chatbotkit.provider().stream(call).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
    }
}
