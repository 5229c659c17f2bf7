package io.chatstream.session.relay;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** How the {@code chat.events} reader talks to Kafka. */
final class ReaderSettings {

    /** Short, so that a stop request or a sweep is never late by much. */
    static final Duration POLL_TIMEOUT = Duration.ofMillis(100);

    private ReaderSettings() {}

    static Map<String, Object> consumer(String bootstrapServers) {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                // Unique: two readers in one JVM (tests) must not clash on their metrics names.
                ConsumerConfig.CLIENT_ID_CONFIG,
                "session-service-reader-" + UUID.randomUUID(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName(),
                // No group: partitions are assigned, positions come from time, nothing is committed.
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                // A position that fell out of retention restarts at the oldest record kept.
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                // Token streams: hand over each record as soon as the broker has it.
                ConsumerConfig.FETCH_MIN_BYTES_CONFIG,
                1,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                50,
                // Events of an aborted transaction must never reach a client.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed");
    }
}
