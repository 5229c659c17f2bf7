package io.chatstream.connector.history;

import io.chatstream.connector.kafka.StateProducer;
import io.chatstream.contract.Topics;
import io.chatstream.contract.event.EventJson;
import io.chatstream.contract.event.HistoryRecord;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.contract.event.MessageIds;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
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

    public KafkaMessageHistory(StateProducer producer) {
        this.producer = producer.producer();
    }

    @Override
    public void ended(String bot, String provider, String question, MessageEvent.Terminal terminal) {
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
}
