package io.chatstream.session.testing;

import io.chatstream.contract.CloudEventRecords;
import io.chatstream.contract.TopicDefinitions;
import io.chatstream.contract.Topics;
import io.chatstream.contract.event.EventJson;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.localkafka.KafkaBrokerTestResource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes message events to {@code chat.events} the way the connector does. */
public final class EventProducer {

    private static KafkaProducer<String, byte[]> producer;

    private EventProducer() {}

    public static void send(MessageEvent... events) {
        sendTraced(null, events);
    }

    /** As the connector does: every record of the message carries its span's {@code traceparent}. */
    public static void sendTraced(String traceparent, MessageEvent... events) {
        for (MessageEvent event : events) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                    Topics.EVENTS,
                    null,
                    event.sessionId(),
                    EventJson.encode(event),
                    CloudEventRecords.headers(event.type(), UUID.randomUUID().toString(), "/test", Instant.now()));
            if (traceparent != null) {
                record.headers().add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
            }
            try {
                producer().send(record).get();
            } catch (InterruptedException | ExecutionException e) {
                throw new IllegalStateException("cannot publish " + event.type(), e);
            }
        }
    }

    private static synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            String servers = KafkaBrokerTestResource.broker().bootstrapServers();
            // The producer alone would auto-create the topic with one partition: make it right first.
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
                TopicDefinitions.ensure(admin, List.of(TopicDefinitions.events()), Duration.ofSeconds(30));
            }
            producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    servers,
                    ProducerConfig.ACKS_CONFIG,
                    "all",
                    ProducerConfig.LINGER_MS_CONFIG,
                    0,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                    StringSerializer.class.getName(),
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                    ByteArraySerializer.class.getName()));
        }
        return producer;
    }
}
