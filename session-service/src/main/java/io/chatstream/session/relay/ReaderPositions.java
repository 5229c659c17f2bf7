package io.chatstream.session.relay;

import io.chatstream.contract.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * Where the reader starts (the first record inside the replay window of each partition) and
 * where start-up ends (the end offsets seen then): until it gets there, the replay buffer is
 * incomplete and the service is not ready.
 */
final class ReaderPositions {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Map<TopicPartition, Long> caughtUpAt;
    private final Map<TopicPartition, Long> startedAt;

    private ReaderPositions(Map<TopicPartition, Long> caughtUpAt, Map<TopicPartition, Long> startedAt) {
        this.caughtUpAt = caughtUpAt;
        this.startedAt = startedAt;
    }

    /** Where the reader started each partition: what precedes it only a catch-up can read. */
    Map<TopicPartition, Long> startedAt() {
        return startedAt;
    }

    static ReaderPositions assign(KafkaConsumer<String, byte[]> reader, Duration replayWindow) {
        List<TopicPartition> partitions = reader.partitionsFor(Topics.EVENTS, TIMEOUT).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException(Topics.EVENTS + " has no partitions yet");
        }
        reader.assign(partitions);
        long since = Instant.now().minus(replayWindow).toEpochMilli();
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(partition -> times.put(partition, since));
        Map<TopicPartition, OffsetAndTimestamp> starts = reader.offsetsForTimes(times, TIMEOUT);
        Map<TopicPartition, Long> ends = reader.endOffsets(partitions, TIMEOUT);
        Map<TopicPartition, Long> startedAt = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp start = starts.get(partition);
            // No record that recent: start at the end, only new events matter.
            long offset = start != null ? start.offset() : ends.get(partition);
            reader.seek(partition, offset);
            startedAt.put(partition, offset);
        }
        return new ReaderPositions(ends, startedAt);
    }

    /** Whether every partition has been read up to its start-up end offset. */
    boolean reached(KafkaConsumer<String, byte[]> reader) {
        return caughtUpAt.entrySet().stream().allMatch(end -> reader.position(end.getKey(), TIMEOUT) >= end.getValue());
    }
}
