package io.chatstream.ingress.kafka;

import io.chatstream.contract.TopicDefinitions;
import io.chatstream.runtime.config.GatewayConfig;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.Producer;

/**
 * The ingress's Kafka side: the request topics of every configured provider, and one producer for
 * everything it writes (requests and cancel commands). Its state is in the database.
 */
@Startup
@Singleton
public class IngressKafka {

    private final Producer<String, byte[]> producer;

    public IngressKafka(GatewayConfig gateway, IngressKafkaClients clients) {
        ensureTopics(gateway, clients);
        this.producer = clients.producer(clients.requestsProducer());
    }

    private static void ensureTopics(GatewayConfig gateway, IngressKafkaClients clients) {
        // chat.events too: a DELETE writes the session's tombstone there (RequestPublisher).
        List<NewTopic> topics = java.util.stream.Stream.concat(
                        gateway.bots().values().stream()
                                .map(GatewayConfig.Bot::provider)
                                .distinct()
                                .map(TopicDefinitions::requests),
                        java.util.stream.Stream.of(TopicDefinitions.events()))
                .toList();
        try (Admin admin = clients.admin(IngressKafkaClients.ADMIN)) {
            TopicDefinitions.ensure(admin, topics, Duration.ofSeconds(30));
        }
    }

    public Producer<String, byte[]> producer() {
        return producer;
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
