package io.chatstream.ingress.kafka;

import io.chatstream.contract.TopicDefinitions;
import io.chatstream.contract.Topics;
import io.chatstream.ingress.config.IngressConfig;
import io.chatstream.ingress.history.SessionHistory;
import io.chatstream.runtime.config.GatewayConfig;
import io.chatstream.runtime.kafka.KafkaTable;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.Producer;

/**
 * The ingress's Kafka clients: one producer for everything it writes, the topics it needs, and the
 * two replicated tables (session owners, idempotency keys).
 */
@Startup
@Singleton
public class IngressKafka {

    private final Producer<String, byte[]> producer;
    private final KafkaTable sessions;
    private final KafkaTable idempotency;
    private final SessionHistory history;

    public IngressKafka(IngressConfig config, GatewayConfig gateway, IngressKafkaClients clients) {
        ensureTopics(gateway, clients);
        this.producer = clients.producer(clients.requestsProducer());
        this.sessions = new KafkaTable(
                Topics.SESSIONS,
                clients.consumer(KafkaTable.READER),
                producer,
                KafkaTable.Merge.firstWriterWins(value -> false),
                value -> false);
        Duration retention = config.limits().idempotencyRetention();
        Predicate<byte[]> expired = value -> IdempotencyRecord.decode(value)
                .acceptedAt()
                .isBefore(Instant.now().minus(retention));
        this.idempotency = new KafkaTable(
                Topics.IDEMPOTENCY,
                clients.consumer(KafkaTable.READER),
                producer,
                KafkaTable.Merge.firstWriterWins(expired),
                expired);
        this.history = new SessionHistory(clients.consumer(KafkaTable.READER), producer);
        sessions.start();
        idempotency.start();
        history.start();
    }

    private static void ensureTopics(GatewayConfig gateway, IngressKafkaClients clients) {
        List<NewTopic> topics = new ArrayList<>(List.of(
                TopicDefinitions.sessions(),
                TopicDefinitions.idempotency(),
                TopicDefinitions.history(),
                TopicDefinitions.conversations()));
        gateway.bots().values().stream()
                .map(GatewayConfig.Bot::provider)
                .distinct()
                .forEach(provider -> topics.add(TopicDefinitions.requests(provider)));
        try (Admin admin = clients.admin(IngressKafkaClients.ADMIN)) {
            TopicDefinitions.ensure(admin, topics, Duration.ofSeconds(30));
        }
    }

    public Producer<String, byte[]> producer() {
        return producer;
    }

    public KafkaTable sessions() {
        return sessions;
    }

    public KafkaTable idempotency() {
        return idempotency;
    }

    public SessionHistory history() {
        return history;
    }

    public boolean loaded() {
        return sessions.loaded() && idempotency.loaded() && history.loaded();
    }

    @PreDestroy
    void close() {
        sessions.close();
        idempotency.close();
        history.close();
        producer.close(Duration.ofSeconds(5));
    }
}
