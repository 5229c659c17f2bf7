package io.chatstream.connector.stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connector's meters (docs/observability.md), in Prometheus names:
 *
 * <ul>
 *   <li>{@code gateway_connector_messages_total{bot,provider,outcome,code}}: messages by how they ended
 *   <li>{@code gateway_connector_streams_in_flight}: streams started and not ended
 *   <li>{@code gateway_connector_tokens_total{bot,provider}}: deltas published
 *   <li>{@code gateway_connector_first_token_seconds{bot,provider}}: vendor call start → first delta
 *   <li>{@code gateway_connector_inter_token_seconds{bot,provider}}: delta → next delta
 *   <li>{@code gateway_connector_vendor_request_seconds{bot,provider,outcome,code}}: vendor call start → its end
 * </ul>
 *
 * (And {@code gateway_connector_database_failures_total{operation}}, the history and conversation
 * calls that failed: {@link io.chatstream.connector.database.DatabaseExecutor}.)
 *
 * The three timers publish percentile histograms ({@code _bucket}), so any quantile can be computed
 * across instances. Meters of a bot are looked up once and kept: the token path pays a map lookup.
 */
@ApplicationScoped
public class ConnectorMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, BotMeters> bots = new ConcurrentHashMap<>();

    /** The per-token meters of one bot. */
    record BotMeters(Counter tokens, Timer firstToken, Timer interToken) {}

    public ConnectorMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("gateway.connector.streams.in.flight", inFlight);
    }

    void streamStarted() {
        inFlight.incrementAndGet();
    }

    void streamEnded() {
        inFlight.decrementAndGet();
    }

    void messageEnded(String bot, String provider, Outcome outcome) {
        Counter.builder("gateway.connector.messages")
                .description("Messages answered, by how they ended")
                .tag("bot", bot == null ? "unknown" : bot)
                .tag("provider", provider)
                .tag("outcome", outcome.outcome())
                .tag("code", outcome.code())
                .register(registry)
                .increment();
    }

    BotMeters bot(String bot, String provider) {
        return bots.computeIfAbsent(
                bot + '\u0000' + provider,
                k -> new BotMeters(
                        Counter.builder("gateway.connector.tokens")
                                .description("Deltas published to chat.events")
                                .tag("bot", bot)
                                .tag("provider", provider)
                                .register(registry),
                        Timer.builder("gateway.connector.first.token")
                                .description("From the start of the vendor call to its first token")
                                .tag("bot", bot)
                                .tag("provider", provider)
                                .publishPercentileHistogram()
                                .minimumExpectedValue(Duration.ofMillis(1))
                                .maximumExpectedValue(Duration.ofSeconds(60))
                                .register(registry),
                        Timer.builder("gateway.connector.inter.token")
                                .description("From one token of the vendor to the next")
                                .tag("bot", bot)
                                .tag("provider", provider)
                                .publishPercentileHistogram()
                                .minimumExpectedValue(Duration.ofNanos(100_000))
                                .maximumExpectedValue(Duration.ofSeconds(30))
                                .register(registry)));
    }

    void vendorRequest(String bot, String provider, Outcome outcome, long nanos) {
        Timer.builder("gateway.connector.vendor.request")
                .description("From the start of a vendor call to its end (the answer streamed, or the failure)")
                .tag("bot", bot == null ? "unknown" : bot)
                .tag("provider", provider)
                .tag("outcome", outcome.outcome())
                .tag("code", outcome.code())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    public int streamsInFlight() {
        return inFlight.get();
    }
}
