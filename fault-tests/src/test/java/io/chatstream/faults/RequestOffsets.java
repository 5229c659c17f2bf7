package io.chatstream.faults;

import io.chatstream.contract.CloudEventHeaders;
import io.chatstream.contract.CloudEventRecords;
import io.chatstream.contract.Topics;
import io.chatstream.contract.event.EventJson;
import io.chatstream.testkit.CommitWatch;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Where each request of {@code chat.requests.<provider>} is (a {@link TopicTail} of it), and with
 * the {@link EventLog}, which of them ended: what a {@link CommitWatch} checks the connector
 * group's commits against.
 */
final class RequestOffsets implements CommitWatch.Known, AutoCloseable {

    private final Map<String, CommitWatch.Request> byMessage = new ConcurrentHashMap<>();
    private final EventLog events;
    private final TopicTail tail;

    RequestOffsets(String bootstrapServers, String provider, EventLog events) {
        this.events = events;
        this.tail = new TopicTail(bootstrapServers, Topics.requests(provider), this::add);
    }

    private void add(ConsumerRecord<String, byte[]> record) {
        if (!CloudEventHeaders.TYPE_REQUEST.equals(
                CloudEventRecords.header(record.headers(), CloudEventHeaders.TYPE))) {
            return; // a cancel command: finished as soon as it is read
        }
        try {
            String id = EventJson.mapper()
                    .readTree(record.value())
                    .path("messageId")
                    .asText();
            byMessage.putIfAbsent(
                    id,
                    new CommitWatch.Request(
                            id, new TopicPartition(record.topic(), record.partition()), record.offset()));
        } catch (IOException e) {
            // not a request of the contract: the connector skips it as finished too
        }
    }

    @Override
    public Collection<CommitWatch.Request> requests() {
        return byMessage.values();
    }

    @Override
    public boolean caughtUp(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> eventEnds) {
        return tail.caughtUpTo(committed) && events.caughtUpTo(eventEnds);
    }

    @Override
    public boolean endedBefore(String messageId, Map<TopicPartition, Long> eventEnds) {
        return events.of(messageId).stream()
                .anyMatch(e -> EventLog.isTerminal(e.type())
                        && e.offset() < eventEnds.getOrDefault(new TopicPartition(Topics.EVENTS, e.partition()), 0L));
    }

    @Override
    public void close() {
        tail.close();
    }
}
