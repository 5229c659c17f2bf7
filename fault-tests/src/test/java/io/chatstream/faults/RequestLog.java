package io.chatstream.faults;

import io.chatstream.contract.Topics;
import io.chatstream.contract.event.EventJson;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What the ingress wrote to {@code chat.requests.<provider>}: the proof that a request was kept once. */
final class RequestLog {

    private RequestLog() {}

    /**
     * The messageIds of the requests the topic holds, per text starting with {@code prefix}. A
     * retry with an Idempotency-Key writes the request again with the same messageId (the
     * connector answers a messageId once): one id per text is one message.
     */
    static Map<String, Set<String>> messageIdsByText(String bootstrapServers, String provider, String prefix)
            throws Exception {
        Map<String, Set<String>> ids = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.requests(provider)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    var value = EventJson.mapper().readTree(record.value());
                    String text = value.path("text").asText("");
                    if (text.startsWith(prefix)) {
                        ids.computeIfAbsent(text, t -> new HashSet<>())
                                .add(value.path("messageId").asText());
                    }
                }
            }
        }
        return ids;
    }
}
