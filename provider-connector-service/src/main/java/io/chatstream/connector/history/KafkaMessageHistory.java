package io.chatstream.connector.history;

import io.chatstream.contract.Topics;
import io.chatstream.contract.event.EventJson;
import io.chatstream.contract.event.HistoryRecord;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.contract.event.MessageIds;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Rewrites a message's {@code chat.history} record whole when it ends. The connector that holds
 * the message is its only writer from then on (the ingress wrote the pending record before the
 * request existed), so last-writer-wins compaction keeps the outcome.
 */
@ApplicationScoped
public class KafkaMessageHistory implements MessageHistory {

    private static final Logger LOG = Logger.getLogger(KafkaMessageHistory.class);

    private final Producer<String, byte[]> producer;

    public KafkaMessageHistory(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.LINGER_MS_CONFIG,
                        5),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    @Override
    public void ended(String bot, String provider, String question, MessageEvent terminal) {
        HistoryRecord record = HistoryRecord.ended(
                bot,
                provider,
                question,
                MessageIds.acceptedAt(terminal.messageId()).orElse(null),
                terminal);
        producer.send(
                new ProducerRecord<>(
                        Topics.HISTORY,
                        HistoryRecord.key(terminal.sessionId(), terminal.messageId()),
                        EventJson.encode(record)),
                (metadata, error) -> {
                    if (error != null) {
                        LOG.warnf("history of message %s not written: %s", terminal.messageId(), error.getMessage());
                    }
                });
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
