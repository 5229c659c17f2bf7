package io.chatstream.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The session → partition rule must be the producers' own: a reader that computed another
 * partition would look for a session's events where they are not.
 */
class SessionPartitionerTest {

    private static final Random RANDOM = new Random(12);

    @Test
    void isKafkasBuiltInPartitionerForManyKeysAndPartitionCounts() {
        for (String sessionId : sessionIds(5_000)) {
            byte[] key = sessionId.getBytes(StandardCharsets.UTF_8);
            for (int partitions = 1; partitions <= 64; partitions++) {
                assertThat(SessionPartitioner.partition(sessionId, partitions))
                        .as("%s over %d partitions", sessionId, partitions)
                        .isEqualTo(BuiltInPartitioner.partitionForKey(key, partitions));
            }
        }
    }

    /**
     * What {@code KafkaProducer#partition} does with a keyed record and no partitioner configured:
     * the built-in partitioner over the serialised key, here the services' {@link StringSerializer}.
     * ({@code MockProducer} does not model it: it puts every record on partition 0.)
     */
    @Test
    void hashesTheKeyBytesTheProducersSerialiserWrites() {
        try (StringSerializer serializer = new StringSerializer()) {
            for (String sessionId : sessionIds(1_000)) {
                byte[] sent = serializer.serialize(Topics.EVENTS, sessionId);
                for (int partitions : new int[] {1, 4, 8, 12, 24}) {
                    assertThat(SessionPartitioner.partition(sessionId, partitions))
                            .as("%s over %d partitions", sessionId, partitions)
                            .isEqualTo(BuiltInPartitioner.partitionForKey(sent, partitions));
                }
            }
        }
    }

    /** Pinned, so that a change of Kafka's partitioner (which would remap every session) is seen. */
    @Test
    void keepsTheKnownPartitionsOfKnownSessions() {
        assertThat(SessionPartitioner.partition("s-1", 8)).isEqualTo(7);
        assertThat(SessionPartitioner.partition("session-42", 8)).isEqualTo(6);
        assertThat(SessionPartitioner.partition("session-42", 24)).isEqualTo(22);
        assertThat(SessionPartitioner.partition("0192b3c4-d5e6-7f00-8a00-000000000001", 24))
                .isEqualTo(22);
        assertThat(SessionPartitioner.partition("ünïcødé-🚀", 8)).isEqualTo(2);
        assertThat(SessionPartitioner.partition("", 24)).isEqualTo(9);
    }

    @Test
    void aTopicHasAtLeastOnePartition() {
        assertThatThrownBy(() -> SessionPartitioner.partition("s-1", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** UUIDs and arbitrary strings, non-ASCII included: the rule is the same for any key. */
    private static List<String> sessionIds(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (i % 2 == 0) {
                ids.add(UUID.randomUUID().toString());
            } else {
                StringBuilder id = new StringBuilder();
                int length = 1 + RANDOM.nextInt(40);
                for (int c = 0; c < length; c++) {
                    id.appendCodePoint(i % 3 == 0 ? 0x20 + RANDOM.nextInt(0x5f) : 0x20 + RANDOM.nextInt(0x2000));
                }
                ids.add(id.toString());
            }
        }
        return ids;
    }
}
