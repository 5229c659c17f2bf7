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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The ground truth: every record of {@code chat.events}, read from the beginning by an independent
 * consumer for as long as the suite runs (it rides out a broker restart), grouped by message.
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

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, List<Event>> byMessage = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean stopping;

    EventLog(String bootstrapServers) {
        consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        "false",
                        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                        8 * 1024 * 1024),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::run, "fault-event-log");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (!stopping) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    add(record);
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
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
        stopping = true;
        consumer.wakeup();
    }
}
