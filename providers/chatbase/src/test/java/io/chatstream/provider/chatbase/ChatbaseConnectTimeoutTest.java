package io.chatstream.provider.chatbase;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.contract.event.ErrorCode;
import io.chatstream.provider.Conversation;
import io.chatstream.provider.ProviderChunk;
import io.chatstream.provider.ProviderException;
import io.chatstream.provider.chatbase.simulator.ChatbaseContractFixture;
import io.chatstream.provider.testkit.RunningFixture;
import io.chatstream.provider.testkit.UnansweredPort;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Chatbase provider beyond the shared contract ({@link ChatbaseContractFixture}): its connect timeout. */
class ChatbaseConnectTimeoutTest {

    @RegisterExtension
    static final RunningFixture<ChatbaseContractFixture> chatbase = RunningFixture.of(new ChatbaseContractFixture());

    @Test
    void theConnectTimeoutIsHonoured() throws Exception {
        try (UnansweredPort unanswered = UnansweredPort.open()) {
            Map<String, String> options =
                    Map.of("url", "http://127.0.0.1:" + unanswered.port(), "connect-timeout", "300ms");
            long start = System.nanoTime();
            AssertSubscriber<ProviderChunk> chunks = chatbase.provider().stream(
                            chatbase.call("hello", options, Map.of(), Conversation.empty()))
                    .subscribe()
                    .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
            chunks.awaitFailure(Duration.ofSeconds(10));
            assertThat(chunks.getFailure())
                    .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.code())
                            .isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE))
                    .hasMessageContaining("300 ms");
            // The message names the bot's 300 ms; the elapsed time only has to beat the 10 s
            // default, which an ignored option would wait for (the first call of a JVM on a busy
            // 2-core machine took 7 s: class loading, not the timer).
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }
}
