package io.chatstream.connector.kafka;

import io.chatstream.connector.stream.EventSink;
import io.chatstream.connector.tracing.MessageTracing;
import io.chatstream.contract.CloudEventRecords;
import io.chatstream.contract.Topics;
import io.chatstream.contract.event.EventJson;
import io.chatstream.contract.event.MessageEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes message events to {@code chat.events}: key sessionId (a session stays on one
 * partition, in order), value the contract JSON, CloudEvents binary-mode headers. One producer for
 * every stream, tuned for many small records that must leave at once.
 */
@ApplicationScoped
public class EventPublisher implements EventSink {

    private static final Logger LOG = Logger.getLogger(EventPublisher.class);

    private final KafkaProducer<String, byte[]> producer;
    private final MessageTracing tracing;
    private final KafkaClientMetrics clientMetrics;

    public EventPublisher(
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "gateway.connector.events-linger", defaultValue = "1ms") Duration linger,
            MessageTracing tracing,
            MeterRegistry registry) {
        this.tracing = tracing;
        this.producer = new KafkaProducer<>(
                Map.<String, Object>of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ProducerConfig.CLIENT_ID_CONFIG,
                        "connector-events",
                        // Tokens: a millisecond of batching, not Kafka 4's default 5 ms (BUILD-NOTES,
                        // docs/benchmarks.md); gateway.connector.events-linger sets it (0ms … 5ms).
                        ProducerConfig.LINGER_MS_CONFIG,
                        (int) linger.toMillis(),
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        // Retries neither duplicate nor reorder a message's events.
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        // send() waits for the topic's metadata as long as a batch is retried
                        // (delivery.timeout.ms, 2 min): while the broker is away, the stream waits
                        // (holding its vendor back) instead of dropping an event, which would leave
                        // a gap in its seqs. The fault suite's broker restart showed the gap with 10 s.
                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                        120_000),
                new StringSerializer(),
                new ByteArraySerializer());
        // kafka_producer_* meters: send rate, batch size, request latency, buffer use.
        this.clientMetrics = new KafkaClientMetrics(producer);
        clientMetrics.bindTo(registry);
    }

    @Override
    public void publish(String provider, MessageEvent event) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                Topics.EVENTS,
                null,
                event.sessionId(),
                EventJson.encode(event),
                CloudEventRecords.headers(
                        event.type(), event.messageId() + ":" + event.seq(), "/connector/" + provider, Instant.now()));
        tracing.addTo(event.messageId(), record.headers());
        if (event.isTerminal()) {
            tracing.ended(event.messageId(), event.type());
        }
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                LOG.errorf(
                        "cannot publish %s seq %d of message %s: %s",
                        event.type(), event.seq(), event.messageId(), error.getMessage());
            }
        });
    }

    /** Fetches the topic's metadata now, so that the first send of a stream does not wait for it. */
    void warmUp() {
        producer.partitionsFor(Topics.EVENTS);
    }

    @PreDestroy
    void close() {
        clientMetrics.close();
        producer.close(Duration.ofSeconds(5));
    }
}
