package io.chatstream.connector.kafka;

import io.chatstream.connector.config.ConnectorConfig;
import io.chatstream.runtime.kafka.ClientRole;
import io.chatstream.runtime.kafka.KafkaClients;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;

/** The connector's Kafka clients, all from the one {@code kafka.*} configuration: what each role adds to it. */
@Singleton
public class ConnectorKafkaClients extends KafkaClients {

    /** Creates the topics of a request loop. */
    public static final ClientRole ADMIN = new ClientRole("admin", Map.of());

    /** A reader of {@code chat.events} without a group, to read back what earlier owners published. */
    public static final ClientRole PRIOR_ATTEMPTS_READER = new ClientRole(
            "prior-attempts-reader",
            Map.of(
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                    false,
                    ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                    4 * 1024 * 1024));

    /**
     * A reader of a provider's request topic without a group: the cancels of partitions being
     * handed off, whose streams still run here (requests/HandOffCancels).
     */
    public static final ClientRole HAND_OFF_READER =
            new ClientRole("hand-off-reader", Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));

    private final ClientRole eventsProducer;

    @Inject
    public ConnectorKafkaClients(
            @Identifier("default-kafka-broker") Map<String, Object> kafka, ConnectorConfig config) {
        this(kafka, config.connector().eventsLinger());
    }

    ConnectorKafkaClients(Map<String, Object> kafka, Duration eventsLinger) {
        super("connector", kafka);
        this.eventsProducer = eventsProducer(eventsLinger);
    }

    /**
     * The producer of every stream's events, tuned for many small records that must leave at once.
     *
     * @param linger a millisecond of batching by default, not Kafka 4's 5 ms (docs/benchmarks.md);
     *     {@code gateway.connector.events-linger} sets it (0ms … 5ms)
     */
    private static ClientRole eventsProducer(Duration linger) {
        return new ClientRole(
                "events-producer",
                Map.of(
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
                        120_000));
    }

    /**
     * The request loop of one provider: the group {@code connector-<provider>}, shared by its
     * replicas. Rebalances are incremental (cooperative-sticky: only the partitions that move are
     * revoked, the others keep streaming), and with an instance id the membership is static.
     */
    public static ClientRole requestsConsumer(String provider, Optional<String> instanceId) {
        // A request should start streaming as soon as it is written; a new group answers the
        // requests written before it first started.
        Map<String, Object> settings = new HashMap<>(promptReader(10));
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, "connector-" + provider);
        // A connector that died is noticed in 10 s (the default is 45): its requests are
        // redelivered, and their messages restarted, that much sooner.
        settings.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        settings.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 2_000);
        settings.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        instanceId.ifPresent(id -> settings.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
        return new ClientRole("requests-" + provider, settings);
    }

    public ClientRole eventsProducer() {
        return eventsProducer;
    }

    @Override
    public List<ClientRole> roles() {
        return List.of(
                requestsConsumer("demo", Optional.empty()),
                PRIOR_ATTEMPTS_READER,
                HAND_OFF_READER,
                eventsProducer,
                ADMIN);
    }
}
