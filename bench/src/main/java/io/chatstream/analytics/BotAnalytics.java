package io.chatstream.analytics;

import io.chatstream.contract.event.MessageEvent;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Per-bot figures computed from {@code chat.events} alone, the way any analytics consumer would:
 * time to first token (the {@code ce_time} of a message's first delta minus that of its {@code
 * message.started}, which the connector publishes when it calls the vendor), tokens per second
 * while streaming (deltas over first delta → terminal event), and outcomes with error codes. Not
 * thread-safe: fed by one consumer loop.
 */
public final class BotAnalytics {

    /** A message seen started and not ended yet. */
    private static final class Open {
        final String bot;
        final Instant started;
        Instant firstDelta;
        int deltas;

        Open(String bot, Instant started) {
            this.bot = bot;
            this.started = started;
        }
    }

    /** The figures of one bot. */
    public static final class Bot {
        final Histogram firstTokenMicros = new Histogram(3_600_000_000L, 3);
        final Histogram tokensPerSecond = new Histogram(10_000_000L, 3);
        final Map<String, Long> outcomes = new TreeMap<>();
        long deltas;

        public long messages() {
            return outcomes.values().stream().mapToLong(Long::longValue).sum();
        }

        public double errorRate() {
            long all = messages();
            return all == 0
                    ? 0
                    : (double) outcomes.entrySet().stream()
                                    .filter(e -> e.getKey().startsWith("failed"))
                                    .mapToLong(Map.Entry::getValue)
                                    .sum()
                            / all;
        }

        public double firstTokenMs(double percentile) {
            return firstTokenMicros.getTotalCount() == 0
                    ? Double.NaN
                    : firstTokenMicros.getValueAtPercentile(percentile) / 1000.0;
        }

        public double tokensPerSecondMedian() {
            return tokensPerSecond.getTotalCount() == 0 ? Double.NaN : tokensPerSecond.getValueAtPercentile(50);
        }

        public Map<String, Long> outcomes() {
            return outcomes;
        }
    }

    private final Map<String, Open> open = new HashMap<>();
    private final Map<String, Bot> bots = new TreeMap<>();

    /** One event of {@code chat.events}, with its CloudEvents time ({@code ce_time}). */
    public void accept(MessageEvent event, Instant time) {
        String id = event.messageId();
        if (event instanceof MessageEvent.Started started) {
            open.put(id, new Open(started.bot() == null ? "unknown" : started.bot(), time));
        } else if (event instanceof MessageEvent.Delta) {
            Open o = open.get(id);
            if (o != null) {
                if (o.firstDelta == null) {
                    o.firstDelta = time;
                    long micros = java.time.Duration.between(o.started, time).toNanos() / 1000;
                    bot(o.bot).firstTokenMicros.recordValue(Math.max(0, micros));
                }
                o.deltas++;
            }
        } else if (event instanceof MessageEvent.Terminal terminal) {
            Open o = open.remove(id);
            if (o == null) {
                return; // started before this consumer's first record
            }
            Bot b = bot(o.bot);
            String outcome = terminal.outcome();
            if (terminal instanceof MessageEvent.Failed failed && failed.error() != null) {
                outcome += ":" + failed.error().code();
            }
            b.outcomes.merge(outcome, 1L, Long::sum);
            b.deltas += o.deltas;
            if (o.firstDelta != null && o.deltas > 1) {
                double seconds = java.time.Duration.between(o.firstDelta, time).toNanos() / 1e9;
                if (seconds > 0) {
                    b.tokensPerSecond.recordValue(Math.round(o.deltas / seconds));
                }
            }
        }
    }

    public Map<String, Bot> bots() {
        return bots;
    }

    private Bot bot(String name) {
        return bots.computeIfAbsent(name, k -> new Bot());
    }

    /** A markdown table: one line per bot. */
    public String table() {
        StringBuilder sb = new StringBuilder(
                "| bot | messages | TTFT p50 / p99 ms | tokens/s per stream (median) | error rate | outcomes |\n"
                        + "|---|---|---|---|---|---|\n");
        bots.forEach((name, b) -> sb.append(String.format(
                Locale.ROOT,
                "| %s | %d | %.1f / %.1f | %.0f | %.2f%% | %s |%n",
                name,
                b.messages(),
                b.firstTokenMs(50),
                b.firstTokenMs(99),
                b.tokensPerSecondMedian(),
                b.errorRate() * 100,
                b.outcomes)));
        return sb.toString();
    }
}
