package io.chatstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.provider.openai.simulator.SendTime;
import io.chatstream.simulator.common.ScriptedAnswer;
import io.chatstream.simulator.common.SimSwitches;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checks the benchmark relies on, without starting anything (the default build's share of it). */
class AnswerCheckTest {

    private static final Scenario S = new Scenario("t", 1, 6, 10, java.time.Duration.ofSeconds(1));

    private static List<String> stamped(String question, long startMicros) {
        List<String> out = new ArrayList<>();
        long t = startMicros;
        for (String token : ScriptedAnswer.tokens(SimSwitches.stripDirectives(question), S.tokens())) {
            Instant at = Instant.ofEpochSecond(t / 1_000_000, (t % 1_000_000) * 1000);
            out.add(token + SendTime.mark(at));
            t += 10_000;
        }
        return out;
    }

    @Test
    void aWholeAnswerInOrderIsCompleteAndEveryTokenIsTimed() {
        RunStats stats = new RunStats();
        stats.recording(true);
        String q = S.question(0, 1);
        AnswerCheck check = new AnswerCheck(stats, q, S.tokens(), 0);
        List<String> tokens = stamped(q, 1_000_000);
        check.seq(0, 0);
        // Two merged into one delta (a slow client), then one at a time.
        check.seq(1, 2);
        check.text(tokens.get(0) + tokens.get(1), 5, 1_000_000 + 10_500);
        for (int i = 2; i < tokens.size(); i++) {
            check.seq(i + 1, i + 1);
            check.text(tokens.get(i), 6, 1_000_000 + i * 10_000L + 2_000);
        }
        check.end();
        assertThat(stats.incomplete.get()).isZero();
        assertThat(stats.messages.get()).isEqualTo(1);
        assertThat(stats.tokens.get()).isEqualTo(S.tokens());
        assertThat(stats.tokenLatencyMicros.getMaxValue()).isBetween(10_400L, 10_600L);
        assertThat(stats.firstTokenMicros.getTotalCount()).isEqualTo(1);
    }

    @Test
    void gapsMissingTokensAndReorderingAreCaught() {
        RunStats stats = new RunStats();
        stats.recording(true);
        String q = S.question(0, 2);
        List<String> tokens = stamped(q, 2_000_000);

        AnswerCheck gap = new AnswerCheck(stats, q, S.tokens(), 0);
        gap.seq(0, 0);
        gap.seq(2, 2);
        tokens.forEach(t -> gap.text(t, 1, 3_000_000));
        gap.end();

        AnswerCheck missing = new AnswerCheck(stats, q, S.tokens(), 0);
        tokens.subList(0, 5).forEach(t -> missing.text(t, 1, 3_000_000));
        missing.end();

        AnswerCheck reordered = new AnswerCheck(stats, q, S.tokens(), 0);
        reordered.text(tokens.get(1), 1, 3_000_000);
        reordered.text(tokens.get(0), 1, 3_000_000);
        tokens.subList(2, tokens.size()).forEach(t -> reordered.text(t, 1, 3_000_000));
        reordered.end();

        assertThat(stats.incomplete.get()).isEqualTo(3);
    }

    @Test
    void sseFramesAreReassembledAcrossBuffers() {
        SseTarget.SseFrames frames = new SseTarget.SseFrames();
        byte[] all = "data: {\"a\":\"é\"}\n\ndata: [DONE]\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        for (byte b : all) {
            out.addAll(frames.feed(Buffer.buffer(new byte[] {b})));
        }
        assertThat(out).containsExactly("{\"a\":\"é\"}", "[DONE]");
    }

    @Test
    void sendTimesAreWallClockMicroseconds() {
        long before = SendTime.nowMicros();
        String marked = "tok" + SendTime.mark(Instant.now());
        StringBuilder plain = new StringBuilder();
        long[] seen = new long[1];
        assertThat(SendTime.scan(marked, plain, t -> seen[0] = t)).isEqualTo(1);
        assertThat(plain.toString()).isEqualTo("tok");
        assertThat(seen[0]).isBetween(before, SendTime.nowMicros());
    }
}
