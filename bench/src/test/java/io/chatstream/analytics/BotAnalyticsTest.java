package io.chatstream.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.contract.event.ErrorCode;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.contract.event.Usage;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BotAnalyticsTest {

    private static final Instant T0 = Instant.parse("2026-11-21T08:00:00Z");

    @Test
    void firstTokenTokensPerSecondAndErrorRateComeFromTheEventsAlone() {
        BotAnalytics a = new BotAnalytics();
        // m1: first token after 40 ms, then 10 tokens over 0.1 s, completed.
        a.accept(MessageEvent.started("s1", "m1", "support", "openai"), T0);
        for (int i = 0; i < 11; i++) {
            a.accept(MessageEvent.delta("s1", "m1", i + 1, "t"), T0.plusMillis(40 + 10L * i));
        }
        a.accept(MessageEvent.completed("s1", "m1", 12, "ttttttttttt", null, Usage.none()), T0.plusMillis(140));
        // m2: fails before any token.
        a.accept(MessageEvent.started("s2", "m2", "support", "openai"), T0);
        a.accept(
                MessageEvent.failed("s2", "m2", 1, "", ErrorCode.PROVIDER_TIMEOUT.withMessage("no first token")),
                T0.plusSeconds(60));
        // A terminal event of a message started before the consumer's first record: ignored.
        a.accept(MessageEvent.completed("s3", "m3", 5, "x", null, Usage.none()), T0);

        BotAnalytics.Bot bot = a.bots().get("support");
        assertThat(bot.messages()).isEqualTo(2);
        assertThat(bot.firstTokenMs(50)).isBetween(39.9, 40.1);
        assertThat(bot.tokensPerSecondMedian()).isBetween(109.0, 111.0);
        assertThat(bot.errorRate()).isEqualTo(0.5);
        assertThat(bot.outcomes()).containsEntry("completed", 1L).containsEntry("failed:provider_timeout", 1L);
        assertThat(a.table()).contains("| support | 2 |");
    }
}
