package io.chatstream.connector.requests;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The {@link OffsetTracker}s of one request loop, by partition. Only partitions assigned here are
 * committed; a partition's tracker goes with the partition, after its hand-off.
 */
final class PartitionOffsets {

    private final Map<TopicPartition, OffsetTracker> trackers = new ConcurrentHashMap<>();

    OffsetTracker of(TopicPartition partition) {
        return trackers.computeIfAbsent(partition, p -> new OffsetTracker());
    }

    /** What may be committed of {@code assigned}: each partition up to its oldest unfinished request. */
    Map<TopicPartition, OffsetAndMetadata> committable(Set<TopicPartition> assigned) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        trackers.forEach((partition, tracker) -> {
            if (assigned.contains(partition)) {
                tracker.committable().ifPresent(next -> offsets.put(partition, new OffsetAndMetadata(next)));
            }
        });
        return offsets;
    }

    void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, meta) -> {
            OffsetTracker tracker = trackers.get(partition);
            if (tracker != null) {
                tracker.committed(meta.offset());
            }
        });
    }

    /** Forgets partitions given away: their hand-off finished or gave back every request of them. */
    void revoked(Collection<TopicPartition> partitions) {
        partitions.forEach(trackers::remove);
    }

    /** Requests of {@code partitions} taken here and not finished (given back ones included). */
    int unfinishedOf(Collection<TopicPartition> partitions) {
        return partitions.stream()
                .map(trackers::get)
                .filter(java.util.Objects::nonNull)
                .mapToInt(OffsetTracker::unfinished)
                .sum();
    }
}
