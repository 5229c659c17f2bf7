package io.chatstream.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatstream.contract.Topics;
import io.chatstream.contract.event.EventJson;
import io.chatstream.testkit.ChildProcess;
import io.chatstream.testkit.StreamClient;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The ground truth: every record of {@code chat.events}, read from the beginning by an independent
 * consumer for as long as the suite runs ({@link TopicTail}), grouped by message.
 */
final class EventLog implements AutoCloseable {

    /** One record of a message, with its place in Kafka and the time the broker has for it. */
    record Event(
            String type,
            long seq,
            Long fromSeq,
            String text,
            String errorCode,
            int partition,
            long offset,
            Instant time) {}

    private final Map<String, List<Event>> byMessage = new ConcurrentHashMap<>();
    private final TopicTail tail;

    EventLog(String bootstrapServers) {
        tail = new TopicTail(bootstrapServers, Topics.EVENTS, this::add);
    }

    /** Whether every event below {@code ends} (per partition of {@code chat.events}) is in this log. */
    boolean caughtUpTo(Map<TopicPartition, Long> ends) {
        return tail.caughtUpTo(ends);
    }

    List<TopicPartition> partitions() {
        return tail.partitions();
    }

    private void add(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return; // a deleted session's tombstone: not a message event
        }
        try {
            JsonNode value = EventJson.mapper().readTree(record.value());
            String messageId = value.path("messageId").asText();
            Event event = new Event(
                    value.path("type").asText(),
                    value.path("seq").asLong(),
                    value.has("fromSeq") ? value.get("fromSeq").asLong() : null,
                    value.path("text").isMissingNode()
                            ? null
                            : value.path("text").asText(),
                    value.path("error").path("code").isMissingNode()
                            ? null
                            : value.path("error").path("code").asText(),
                    record.partition(),
                    record.offset(),
                    Instant.ofEpochMilli(record.timestamp()));
            List<Event> list = byMessage.computeIfAbsent(messageId, id -> new ArrayList<>());
            synchronized (list) {
                list.add(event);
            }
        } catch (IOException e) {
            // not an event of the contract: the verdict counts only what parses
        }
    }

    List<Event> of(String messageId) {
        List<Event> list = byMessage.get(messageId);
        if (list == null) {
            return List.of();
        }
        synchronized (list) {
            return new ArrayList<>(list);
        }
    }

    boolean ended(String messageId) {
        return of(messageId).stream().anyMatch(e -> isTerminal(e.type()));
    }

    /** Waits until every message has a terminal event, or the deadline passes. */
    boolean awaitEnded(Collection<String> messageIds, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (messageIds.stream().allMatch(this::ended)) {
                return true;
            }
            ChildProcess.sleep(100);
        }
        return false;
    }

    static boolean isTerminal(String type) {
        return StreamClient.isTerminal(type);
    }

    /** What Kafka holds of {@code messageIds}, in the form of {@link #expand}. */
    List<String> expected(List<String> messageIds) {
        List<String> out = new ArrayList<>();
        for (String id : messageIds) {
            of(id).forEach(e -> out.add(id + "#" + e.seq() + " " + e.type()));
        }
        return out;
    }

    /**
     * A client's frames, merged deltas expanded into the seqs they cover, as (messageId, seq, type),
     * which must equal {@link #expected} of the same messages.
     */
    static List<String> expand(List<JsonNode> frames) {
        List<String> out = new ArrayList<>();
        for (JsonNode frame : frames) {
            if (!frame.has("messageId")) {
                continue;
            }
            long seq = frame.path("seq").asLong();
            long from = frame.has("fromSeq") ? frame.get("fromSeq").asLong() : seq;
            for (long s = from; s <= seq; s++) {
                out.add(frame.path("messageId").asText() + "#" + s + " "
                        + frame.path("type").asText());
            }
        }
        return out;
    }

    @Override
    public void close() {
        tail.close();
    }
}
