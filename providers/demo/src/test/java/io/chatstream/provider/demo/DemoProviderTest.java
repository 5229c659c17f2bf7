package io.chatstream.provider.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.contract.event.Usage;
import io.chatstream.provider.ProviderCall;
import io.chatstream.provider.ProviderChunk;
import io.chatstream.provider.testkit.TestBots;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoProviderTest {

    @Test
    void theAnswerIsDeterministicAndCountedByTheGateway() {
        List<ProviderChunk> first = answer("Hello gateway world", Map.of("tokens", "6", "pace", "1ms"));
        List<ProviderChunk> second = answer("Hello gateway world", Map.of("tokens", "6", "pace", "0ms"));

        assertThat(first).isEqualTo(second).hasSize(7);
        assertThat(first.subList(0, 4))
                .containsExactly(
                        new ProviderChunk.Delta("Echo:"),
                        new ProviderChunk.Delta(" Hello"),
                        new ProviderChunk.Delta(" gateway"),
                        new ProviderChunk.Delta(" world"));
        assertThat(first.get(6)).isEqualTo(ProviderChunk.Completion.of(new Usage(Usage.SOURCE_GATEWAY, 3, 6, 9)));
    }

    @Test
    void defaultsTo24Tokens() {
        assertThat(answer("x", Map.of("pace", "0ms"))).hasSize(DemoProvider.DEFAULT_TOKENS + 1);
    }

    private List<ProviderChunk> answer(String text, Map<String, String> options) {
        ProviderCall call = new ProviderCall("bot", TestBots.bot("demo", options), "s", "m", text, null);
        return new DemoProvider(TestBots.options(DemoConfig.class, options))
                .stream(call).collect().asList().await().atMost(Duration.ofSeconds(5));
    }
}
