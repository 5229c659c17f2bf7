package io.chatstream.ingress;

import io.chatstream.contract.Topics;
import io.chatstream.contract.event.EventJson;
import io.chatstream.localkafka.KafkaBrokerTestResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** An independent Kafka client reading what the ingress wrote to a provider's request topic. */
final class RequestTopicReader {

    private RequestTopicReader() {}

    /** The session a request or cancel record is for, as its client named it (the key is the stream key). */
    static String sessionOf(ConsumerRecord<String, byte[]> record) {
        try {
            return EventJson.mapper().readTree(record.value()).path("sessionId").asText(null);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    static List<ConsumerRecord<String, byte[]>> recordsOf(String provider, String sessionId, int atLeast) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        KafkaBrokerTestResource.broker().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(Topics.requests(provider)));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (found.size() < atLeast && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (sessionId.equals(sessionOf(r))) {
                        found.add(r);
                    }
                });
            }
            // A little longer, to see duplicates that should not be there.
            consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                if (sessionId.equals(sessionOf(r))) {
                    found.add(r);
                }
            });
        }
        return found;
    }
}
