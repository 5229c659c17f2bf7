package io.chatstream.connector.it;

import io.chatstream.contract.CloudEventHeaders;
import io.chatstream.contract.CloudEventRecords;
import io.chatstream.contract.Topics;
import io.chatstream.contract.event.EventJson;
import io.chatstream.contract.event.MessageEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** An independent reader of {@code chat.events}: every record, with its headers and position. */
final class EventsCollector implements AutoCloseable {

    record Received(
            String key, MessageEvent event, String ceType, String ceId, String ceSource, int partition, long offset) {}

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean stopping;

    EventsCollector(String bootstrapServers) {
        consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::run, "events-collector");
        thread.setDaemon(true);
        thread.start();
    }

    List<Received> of(String messageId) {
        return received.stream()
                .filter(r -> messageId.equals(r.event().messageId()))
                .toList();
    }

    List<MessageEvent> events(String messageId) {
        return of(messageId).stream().map(Received::event).toList();
    }

    /** Whether every record below {@code ends} (a partition → offset map of chat.events) has been read. */
    boolean caughtUpTo(Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream()
                .allMatch(e -> e.getValue() == 0
                        || received.stream()
                                .anyMatch(r ->
                                        r.partition() == e.getKey().partition() && r.offset() >= e.getValue() - 1));
    }

    boolean ended(String messageId) {
        return of(messageId).stream().anyMatch(r -> r.event().isTerminal());
    }

    private void run() {
        try {
            while (!stopping) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    received.add(new Received(
                            r.key(),
                            EventJson.decode(r.value(), MessageEvent.class),
                            CloudEventRecords.header(r.headers(), CloudEventHeaders.TYPE),
                            CloudEventRecords.header(r.headers(), CloudEventHeaders.ID),
                            CloudEventRecords.header(r.headers(), CloudEventHeaders.SOURCE),
                            r.partition(),
                            r.offset()));
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        consumer.wakeup();
        thread.join(5000);
    }
}
