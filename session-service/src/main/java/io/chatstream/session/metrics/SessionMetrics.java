package io.chatstream.session.metrics;

import io.chatstream.contract.event.MessageEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * The session-service's meters (docs/observability.md), in Prometheus names:
 *
 * <ul>
 *   <li>{@code gateway_session_connections}: open streams
 *   <li>{@code gateway_session_events_relayed_total}: events read from {@code chat.events} and fanned out
 *   <li>{@code gateway_session_events_delivered_total{type}}: frames handed to sockets
 *   <li>{@code gateway_session_delivery_lag_seconds}: record time of a live event → its frame handed to the socket
 *   <li>{@code gateway_session_merged_deltas_total}: deltas merged into the previous one in a slow client's queue
 *   <li>{@code gateway_session_slow_client_closes_total}: streams closed with 4001
 *   <li>{@code gateway_session_resumes_total{source,result}}: {@code cursor=} reconnects, by how they were answered
 *   <li>{@code gateway_session_replays_from_kafka_total}, {@code gateway_session_catch_ups_total{outcome}}:
 *       replays that memory could not serve
 * </ul>
 *
 * Every meter is registered here, once, at start-up (so each exists at zero before its first
 * event); the token path then pays a map lookup and two atomic adds per frame, nothing allocated.
 */
@ApplicationScoped
public class SessionMetrics {

    /** Where a resume was answered: this replica's memory, or a read of Kafka. */
    public enum ResumeSource {
        MEMORY,
        KAFKA
    }

    /** Whether the client got every event after its cursor, or {@code stream.error cursor_expired}. */
    public enum ResumeResult {
        SERVED,
        CURSOR_EXPIRED
    }

    /** The event types of the contract, plus the relay's own {@code stream.error}; anything else is "other". */
    private static final List<String> TYPES = List.of(
            MessageEvent.STARTED,
            MessageEvent.DELTA,
            MessageEvent.RESET,
            MessageEvent.COMPLETED,
            MessageEvent.FAILED,
            MessageEvent.CANCELLED,
            "stream.error");

    private final MeterRegistry registry;
    private final Counter relayed;
    private final Counter replaysFromKafka;
    private final Counter catchUpsDone;
    private final Counter catchUpsFailed;
    private final Map<String, Counter> delivered = new HashMap<>();
    private final Counter deliveredOther;
    private final Timer deliveryLag;
    private final Counter mergedDeltas;
    private final Counter slowClientCloses;
    private final Counter[][] resumes = new Counter[ResumeSource.values().length][ResumeResult.values().length];

    public SessionMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.relayed = Counter.builder("gateway.session.events.relayed")
                .description("Events read from chat.events and handed to their session's subscribers")
                .register(registry);
        this.replaysFromKafka = Counter.builder("gateway.session.replays.from.kafka")
                .description("Subscriptions whose replay needed Kafka (old cursor, long message in progress)")
                .register(registry);
        this.catchUpsDone = catchUps("done");
        this.catchUpsFailed = catchUps("failed");
        TYPES.forEach(type -> delivered.put(type, delivered(type)));
        this.deliveredOther = delivered("other");
        this.deliveryLag = Timer.builder("gateway.session.delivery.lag")
                .description("From a live event's Kafka record time (the connector's publish) to its frame"
                        + " handed to the WebSocket")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
        this.mergedDeltas = Counter.builder("gateway.session.merged.deltas")
                .description("Deltas merged into the previous queued delta of a slow client")
                .register(registry);
        this.slowClientCloses = Counter.builder("gateway.session.slow.client.closes")
                .description("Streams closed with 4001: the client's queue passed its hard limit")
                .register(registry);
        for (ResumeSource source : ResumeSource.values()) {
            for (ResumeResult result : ResumeResult.values()) {
                resumes[source.ordinal()][result.ordinal()] = Counter.builder("gateway.session.resumes")
                        .description("Reconnects with cursor=, by where they were answered and how")
                        .tag("source", label(source))
                        .tag("result", label(result))
                        .register(registry);
            }
        }
    }

    /** {@code gateway_session_connections} reads {@code open}, which its owner keeps up to date. */
    public void countConnections(AtomicInteger open) {
        Gauge.builder("gateway.session.connections", open, AtomicInteger::get)
                .description("Open streams (WebSockets subscribed to a session)")
                .register(registry);
    }

    /**
     * {@code gateway_session_replay_bytes} and {@code gateway_session_replay_events}: what the
     * replay memory holds against its budget ({@code gateway.session.replay-max-bytes}), read from
     * {@code bytes} and {@code events}.
     */
    public void replayMemory(LongSupplier bytes, LongSupplier events) {
        // Strong references: a gauge keeps its object weakly, and these lambdas have no other owner.
        Gauge.builder("gateway.session.replay", bytes, b -> b.getAsLong())
                .description("Replay memory held by all sessions together (estimated: text + a fixed cost per event)")
                .baseUnit("bytes")
                .strongReference(true)
                .register(registry);
        Gauge.builder("gateway.session.replay.events", events, e -> e.getAsLong())
                .description("Events held in replay memory by all sessions together")
                .strongReference(true)
                .register(registry);
    }

    public Counter eventsRelayed() {
        return relayed;
    }

    public Counter replaysFromKafka() {
        return replaysFromKafka;
    }

    public void catchUpEnded(boolean done) {
        (done ? catchUpsDone : catchUpsFailed).increment();
    }

    public void resumed(ResumeSource source, ResumeResult result) {
        resumes[source.ordinal()][result.ordinal()].increment();
    }

    /**
     * A frame was handed to a socket.
     *
     * @param eventTimeMillis the Kafka record time of the (oldest) event in the frame
     * @param live false for a replay: its age is history, not delivery lag
     */
    public void delivered(String type, long eventTimeMillis, boolean live) {
        delivered.getOrDefault(type, deliveredOther).increment();
        if (live) {
            // A clock behind the connector's reads negative: recorded as 0 rather than dropped.
            long lag = System.currentTimeMillis() - eventTimeMillis;
            deliveryLag.record(Math.max(0, lag), TimeUnit.MILLISECONDS);
        }
    }

    public void mergedDelta() {
        mergedDeltas.increment();
    }

    public void slowClientClosed() {
        slowClientCloses.increment();
    }

    /** {@code kafka_consumer_*} of {@code consumer}; close the result when the consumer closes. */
    public KafkaClientMetrics bind(Consumer<?, ?> consumer) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(consumer);
        metrics.bindTo(registry);
        return metrics;
    }

    private Counter catchUps(String outcome) {
        return Counter.builder("gateway.session.catch.ups")
                .description("Catch-ups from Kafka by the catch-up readers, by outcome")
                .tag("outcome", outcome)
                .register(registry);
    }

    private Counter delivered(String type) {
        return Counter.builder("gateway.session.events.delivered")
                .description("Frames handed to WebSockets, by event type (a merged delta counts once)")
                .tag("type", type)
                .register(registry);
    }

    private static String label(Enum<?> value) {
        return value.name().toLowerCase(java.util.Locale.ROOT);
    }
}
