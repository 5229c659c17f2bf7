package io.chatstream.ingress.kafka;

import io.chatstream.contract.TopicDefinitions;
import io.chatstream.contract.Topics;
import io.chatstream.runtime.kafka.KafkaTable;
import io.chatstream.ingress.config.IngressConfig;
import io.chatstream.ingress.history.SessionHistory;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

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

    public IngressKafka(IngressConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        ensureTopics(config, kafka);
        this.producer = new KafkaProducer<>(producerConfig(kafka, config.kafka().sendTimeout()));
        this.sessions = new KafkaTable(
                Topics.SESSIONS, kafka, producer, KafkaTable.Merge.firstWriterWins(value -> false), value -> false);
        Duration retention = config.limits().idempotencyRetention();
        Predicate<byte[]> expired = value -> IdempotencyRecord.decode(value)
                .acceptedAt()
                .isBefore(Instant.now().minus(retention));
        this.idempotency =
                new KafkaTable(Topics.IDEMPOTENCY, kafka, producer, KafkaTable.Merge.firstWriterWins(expired), expired);
        this.history = new SessionHistory(kafka, producer);
        sessions.start();
        idempotency.start();
        history.start();
    }

    /**
     * Acks from every in-sync replica and an idempotent producer: a 202 means the request is kept.
     * Timeouts are derived from the send timeout so that the producer has given up on a record
     * before the client is told 503, and a 503 never hides a request that is delivered later.
     */
    static Map<String, Object> producerConfig(Map<String, Object> kafka, Duration sendTimeout) {
        Map<String, Object> props = new HashMap<>(kafka);
        long budget = sendTimeout.toMillis();
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(budget / 2));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(budget * 3 / 4 - 1));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(budget * 3 / 4));
        return props;
    }

    private static void ensureTopics(IngressConfig config, Map<String, Object> kafka) {
        List<NewTopic> topics = new ArrayList<>(List.of(
                TopicDefinitions.sessions(),
                TopicDefinitions.idempotency(),
                TopicDefinitions.history(),
                TopicDefinitions.conversations()));
        config.bots().values().stream()
                .map(IngressConfig.Bot::provider)
                .distinct()
                .forEach(provider -> topics.add(TopicDefinitions.requests(provider)));
        try (Admin admin = Admin.create(kafka)) {
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
