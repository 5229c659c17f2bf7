package io.chatstream.connector.requests;

import io.chatstream.contract.CloudEventHeaders;
import io.chatstream.contract.CloudEventRecords;
import io.chatstream.contract.event.CancelCommandEvent;
import io.chatstream.contract.event.EventJson;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The cancels that arrive during a hand-off. While streams of partitions moving away finish here
 * (a rebalance's hand-off, the drain at shutdown), the request loop does not poll: it waits in the
 * rebalance callback or in its shutdown, and the new owner does not hold those streams. A user's
 * cancel would wait for the hand-off to end, up to its whole timeout, while the answer runs on.
 * This reader, outside the group, reads the partitions from where the request loop stopped and
 * applies the cancels it finds; requests it skips (the loop, or the new owner, takes them), and a
 * cancel the loop reads again later changes nothing.
 */
final class HandOffCancels implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HandOffCancels.class);

    private final Consumer<String, byte[]> reader;
    private final java.util.function.Consumer<String> cancel;

    /**
     * @param from each partition's next offset to read: the request loop's position
     * @param cancel cancels a message by id (nothing when it is not here)
     */
    HandOffCancels(
            Consumer<String, byte[]> reader,
            Map<TopicPartition, Long> from,
            java.util.function.Consumer<String> cancel) {
        this.reader = reader;
        this.cancel = cancel;
        reader.assign(from.keySet());
        from.forEach(reader::seek);
    }

    /** Waits up to {@code timeout} for records, and applies the cancels among them. */
    void poll(Duration timeout) {
        for (ConsumerRecord<String, byte[]> record : reader.poll(timeout)) {
            if (!CloudEventHeaders.TYPE_CANCEL.equals(
                    CloudEventRecords.header(record.headers(), CloudEventHeaders.TYPE))) {
                continue;
            }
            try {
                cancel.accept(EventJson.decode(record.value(), CancelCommandEvent.class)
                        .messageId());
            } catch (RuntimeException e) {
                LOG.warnf(
                        "%s-%d@%d: malformed cancel skipped: %s",
                        record.topic(), record.partition(), record.offset(), e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        reader.close(Duration.ofSeconds(1));
    }
}
