package io.chatstream.connector.requests;

import io.chatstream.connector.stream.PriorAttempt;
import io.chatstream.contract.SessionPartitioner;
import io.chatstream.contract.Topics;
import io.chatstream.contract.event.ChatRequestEvent;
import io.chatstream.contract.event.EventJson;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.contract.event.MessageIds;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads back from {@code chat.events} what earlier owners published of the requests that may have
 * been taken before (redelivered after a connector died or a rebalance): for each such message,
 * its {@link PriorAttempt}. Reads only the partitions of those sessions (the events' key is the
 * sessionId, so {@link SessionPartitioner} tells which), from the oldest request's acceptance time,
 * up to the end the partitions had when the read began: nobody else writes a message's events
 * while its request is unowned.
 */
final class PriorAttempts {

    /** Producers' clocks may lag the ingress's: events are looked for from this much earlier. */
    static final Duration CLOCK_SLACK = Duration.ofMinutes(1);

    private final Supplier<Consumer<String, byte[]>> consumers;
    private final Duration timeout;

    /** @param consumers a new consumer (no group) of {@code chat.events}, closed after each read */
    PriorAttempts(Supplier<Consumer<String, byte[]>> consumers, Duration timeout) {
        this.consumers = consumers;
        this.timeout = timeout;
    }

    /**
     * The prior attempts of {@code requests}, by messageId; a message of which nothing was
     * published is absent.
     *
     * @throws IllegalStateException when the events could not be read in time
     */
    Map<String, PriorAttempt> of(Collection<ChatRequestEvent> requests) {
        if (requests.isEmpty()) {
            return Map.of();
        }
        Set<String> wanted = new HashSet<>();
        requests.forEach(request -> wanted.add(request.messageId()));
        Map<String, Builder> found = new HashMap<>();
        try (Consumer<String, byte[]> consumer = consumers.get()) {
            int partitions = consumer.partitionsFor(Topics.EVENTS, timeout).size();
            Map<TopicPartition, Long> from = new HashMap<>();
            for (ChatRequestEvent request : requests) {
                TopicPartition partition =
                        new TopicPartition(Topics.EVENTS, SessionPartitioner.partition(request.kafkaKey(), partitions));
                from.merge(partition, since(request).toEpochMilli(), Math::min);
            }
            List<TopicPartition> assigned = List.copyOf(from.keySet());
            consumer.assign(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, timeout);
            Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(from, timeout);
            for (TopicPartition partition : assigned) {
                OffsetAndTimestamp start = starts.get(partition);
                consumer.seek(partition, start == null ? end.get(partition) : start.offset());
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!assigned.stream().allMatch(p -> consumer.position(p) >= end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("chat.events not read back within " + timeout);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.value() == null
                            || record.offset() >= end.get(new TopicPartition(record.topic(), record.partition()))) {
                        continue;
                    }
                    MessageEvent event = decode(record.value());
                    if (event != null && wanted.contains(event.messageId())) {
                        found.computeIfAbsent(event.messageId(), id -> new Builder())
                                .add(event);
                    }
                }
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new IllegalStateException("chat.events cannot be read back: " + e.getMessage(), e);
        }
        Map<String, PriorAttempt> attempts = new HashMap<>();
        found.forEach((id, builder) -> attempts.put(id, builder.build()));
        return attempts;
    }

    private static Instant since(ChatRequestEvent request) {
        Instant accepted = request.acceptedAt() != null
                ? request.acceptedAt()
                : MessageIds.acceptedAt(request.messageId()).orElse(Instant.EPOCH);
        return accepted.minus(CLOCK_SLACK);
    }

    private static MessageEvent decode(byte[] value) {
        try {
            return EventJson.decode(value, MessageEvent.class);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Folds one message's events, in order, into its prior attempt. */
    static final class Builder {

        private long lastSeq = -1;
        private int resets;
        private final StringBuilder text = new StringBuilder();
        private MessageEvent.Terminal terminal;

        void add(MessageEvent event) {
            lastSeq = Math.max(lastSeq, event.seq());
            if (event instanceof MessageEvent.Reset) {
                resets++;
                text.setLength(0);
            } else if (event instanceof MessageEvent.Delta delta) {
                text.append(delta.text() == null ? "" : delta.text());
            } else if (event instanceof MessageEvent.Terminal ended && terminal == null) {
                terminal = ended;
            }
        }

        PriorAttempt build() {
            return new PriorAttempt(lastSeq, resets, text.toString(), Optional.ofNullable(terminal));
        }
    }
}
