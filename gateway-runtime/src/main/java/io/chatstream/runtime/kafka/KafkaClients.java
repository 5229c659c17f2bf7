package io.chatstream.runtime.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The one place a service's Kafka clients are built. Every client starts from the service's one
 * Kafka configuration (Quarkus's {@code kafka.*} properties, the {@code default-kafka-broker} map:
 * bootstrap servers, {@code security.protocol}, {@code sasl.*}, {@code ssl.*}), so a setting made
 * once reaches every producer, consumer and admin client; a {@link ClientRole} adds what its kind
 * of client needs. A service's subclass declares its roles.
 *
 * <p>Keys are strings (the session id) and values bytes (the contract's JSON) on every topic.
 */
public abstract class KafkaClients {

    private final String service;
    private final Map<String, Object> common;
    private final AtomicInteger instances = new AtomicInteger();

    /**
     * @param service prefixes every {@code client.id}
     * @param kafka the service's Kafka configuration; its {@code group.id} (Quarkus fills one in
     *     from the application name) is dropped: a group is a role's decision
     */
    protected KafkaClients(String service, Map<String, Object> kafka) {
        this.service = service;
        Map<String, Object> props = new HashMap<>(kafka);
        props.remove(CommonClientConfigs.GROUP_ID_CONFIG);
        this.common = Map.copyOf(props);
    }

    /** Every role this service builds clients for (for the tests that check each of them). */
    public abstract List<ClientRole> roles();

    /**
     * The configuration of a client in {@code role}: the common settings, the role's, and a
     * {@code client.id} that is unique in this JVM (two clients with one id clash on their JMX and
     * meter names).
     */
    public Map<String, Object> config(ClientRole role) {
        Map<String, Object> props = new HashMap<>(common);
        props.putAll(role.settings());
        props.put(
                CommonClientConfigs.CLIENT_ID_CONFIG, service + "-" + role.name() + "-" + instances.incrementAndGet());
        return props;
    }

    /**
     * The settings of a reader on the token path: it hands over each record as soon as the broker
     * has it (waiting at most {@code fetchMaxWaitMs} for more), commits nothing by itself, and a
     * position it does not have (a new group, one that fell out of retention) starts at the oldest
     * record kept.
     */
    public static Map<String, Object> promptReader(int fetchMaxWaitMs) {
        return Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.FETCH_MIN_BYTES_CONFIG,
                1,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                fetchMaxWaitMs);
    }

    public KafkaProducer<String, byte[]> producer(ClientRole role) {
        return new KafkaProducer<>(config(role), new StringSerializer(), new ByteArraySerializer());
    }

    public KafkaConsumer<String, byte[]> consumer(ClientRole role) {
        return new KafkaConsumer<>(config(role), new StringDeserializer(), new ByteArrayDeserializer());
    }

    public Admin admin(ClientRole role) {
        return Admin.create(config(role));
    }
}
