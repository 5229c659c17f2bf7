package io.chatstream.connector.stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code gateway_connector_messages_total{bot,provider,outcome,code}} and {@code
 * gateway_connector_streams_in_flight} (streams started and not ended).
 */
@ApplicationScoped
public class ConnectorMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger inFlight = new AtomicInteger();

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

    public int streamsInFlight() {
        return inFlight.get();
    }
}
