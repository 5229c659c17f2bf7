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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Publishes message events to {@code chat.events}: key sessionId (a session stays on one
 * partition, in order), value the contract JSON, CloudEvents binary-mode headers. One producer for
 * every stream ({@link ConnectorKafkaClients#eventsProducer()}).
 */
@ApplicationScoped
public class EventPublisher implements EventSink {

    private static final Logger LOG = Logger.getLogger(EventPublisher.class);

    private final KafkaProducer<String, byte[]> producer;
    private final MessageTracing tracing;
    private final KafkaClientMetrics clientMetrics;

    public EventPublisher(ConnectorKafkaClients clients, MessageTracing tracing, MeterRegistry registry) {
        this.tracing = tracing;
        this.producer = clients.producer(clients.eventsProducer());
        // kafka_producer_* meters: send rate, batch size, request latency, buffer use.
        this.clientMetrics = new KafkaClientMetrics(producer);
        clientMetrics.bindTo(registry);
    }

    @Override
    public void publish(String provider, String key, MessageEvent event) {
        send(provider, key, event, null);
    }

    @Override
    public CompletionStage<Void> publishStored(String provider, String key, MessageEvent event) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        send(provider, key, event, stored);
        return stored;
    }

    /** @param stored told when the broker acknowledged the record, or null: only the terminal event needs it */
    private void send(String provider, String key, MessageEvent event, CompletableFuture<Void> stored) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                Topics.EVENTS,
                null,
                key,
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
            if (stored != null) {
                if (error == null) {
                    stored.complete(null);
                } else {
                    stored.completeExceptionally(error);
                }
            }
        });
    }

    /** Fetches the topic's metadata now, so that the first send of a stream does not wait for it. */
    public void warmUp() {
        producer.partitionsFor(Topics.EVENTS);
    }

    @PreDestroy
    void close() {
        clientMetrics.close();
        producer.close(Duration.ofSeconds(5));
    }
}
