package io.chatstream.faults;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Every record of a topic, from the beginning, handed to {@code onRecord} on its own thread for as
 * long as the suite runs (it rides out a broker restart), without a group: nothing it does moves a
 * service's offsets. It knows how far it has read, so that a check can wait until it has seen
 * everything the broker held at a given moment ({@link #caughtUpTo}).
 */
final class TopicTail implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final Consumer<ConsumerRecord<String, byte[]>> onRecord;
    private final List<TopicPartition> partitions;
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean stopping;

    TopicTail(String bootstrapServers, String topic, Consumer<ConsumerRecord<String, byte[]>> onRecord) {
        this.onRecord = onRecord;
        consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        "false",
                        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                        8 * 1024 * 1024,
                        // A fetch comes back within 50 ms even when nothing is new (500 by default),
                        // so that "caught up" is known soon after a record is written.
                        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                        50),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::run, "fault-tail-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (!stopping) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    onRecord.accept(record);
                }
                // After the records are handed on: a position here means "seen and recorded".
                try {
                    for (TopicPartition partition : partitions) {
                        positions.put(partition, consumer.position(partition, Duration.ofSeconds(1)));
                    }
                } catch (TimeoutException e) {
                    // the broker is away (a restart fault): known again after it is back
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Whether every record below {@code ends} (per partition, exclusive) has been handed on. */
    boolean caughtUpTo(Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    List<TopicPartition> partitions() {
        return partitions;
    }

    @Override
    public void close() {
        stopping = true;
        consumer.wakeup();
    }
}
