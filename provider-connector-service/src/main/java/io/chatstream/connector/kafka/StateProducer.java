package io.chatstream.connector.kafka;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.apache.kafka.clients.producer.Producer;

/**
 * The producer of the connector's state records (conversations, history), shared by both
 * ({@link ConnectorKafkaClients#STATE_PRODUCER}). The events have their own producer
 * ({@link EventPublisher}), tuned for latency.
 */
@Singleton
public class StateProducer {

    private final Producer<String, byte[]> producer;

    public StateProducer(ConnectorKafkaClients clients) {
        this.producer = clients.producer(ConnectorKafkaClients.STATE_PRODUCER);
    }

    public Producer<String, byte[]> producer() {
        return producer;
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
