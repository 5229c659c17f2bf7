package io.chatstream.faults;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A member of a connector group that takes partitions, reads their requests and answers none, as
 * a new replica that crashes before its first commit: a process of its own ({@code main}), run by
 * {@link ConnectorCrashIT} and ended with {@code kill -9}, so it neither commits nor leaves the
 * group. It joins as the connector does (its group, its assignor, its 10 s session) and says on
 * stdout what it got: {@code intruder assigned [...]}, then {@code intruder read <n>} as it reads
 * (words no line of the Kafka client's log has).
 *
 * <p>Arguments: bootstrap servers, topic, group.
 */
public final class GroupIntruder {

    private GroupIntruder() {}

    public static void main(String[] args) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        args[0],
                        ConsumerConfig.GROUP_ID_CONFIG,
                        args[2],
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        "false",
                        // The connector's settings (ConnectorKafkaClients.requestsConsumer), so that
                        // the group takes it as one more replica.
                        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                        CooperativeStickyAssignor.class.getName(),
                        ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                        "10000",
                        ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                        "2000"),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(args[1]), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    if (!partitions.isEmpty()) {
                        System.out.println("intruder assigned " + partitions);
                    }
                }
            });
            long read = 0;
            while (true) {
                int count = consumer.poll(Duration.ofMillis(100)).count();
                if (count > 0) {
                    read += count;
                    System.out.println("intruder read " + read);
                }
            }
        }
    }
}
