package io.chatstream.connector.requests;

import io.chatstream.connector.stream.PriorAttempt;
import io.chatstream.contract.CloudEventHeaders;
import io.chatstream.contract.CloudEventRecords;
import io.chatstream.contract.event.ChatRequestEvent;
import io.chatstream.contract.event.EventJson;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * The one decision about requests that may have been taken before: those below the end a partition
 * had when it was assigned here (an earlier owner may have died, or given the partition away,
 * before committing them). For those, {@link PriorAttempts} reads back what that owner published,
 * so that none is answered twice and none that had started streams a second {@code
 * message.started}. Used on the request loop's thread only.
 */
final class Redelivery {

    private final PriorAttempts priorAttempts;
    /** Per partition: the end it had when it was assigned here; below it, requests may be redelivered. */
    private final Map<TopicPartition, Long> redeliveredBelow = new HashMap<>();

    Redelivery(PriorAttempts priorAttempts) {
        this.priorAttempts = priorAttempts;
    }

    void assigned(Map<TopicPartition, Long> endOffsets) {
        redeliveredBelow.putAll(endOffsets);
    }

    void revoked(Collection<TopicPartition> partitions) {
        partitions.forEach(redeliveredBelow::remove);
    }

    /**
     * What earlier owners published of the requests in {@code records} that may be redelivered and
     * that this instance has not taken itself, by messageId.
     *
     * @throws IllegalStateException when {@code chat.events} could not be read back in time
     */
    Map<String, PriorAttempt> priorsOf(ConsumerRecords<String, byte[]> records, Predicate<String> takenHere) {
        List<ChatRequestEvent> maybeTaken = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            Long below = redeliveredBelow.get(partition);
            if (below == null) {
                continue;
            }
            if (record.offset() >= below) {
                redeliveredBelow.remove(partition);
                continue;
            }
            if (CloudEventHeaders.TYPE_REQUEST.equals(
                    CloudEventRecords.header(record.headers(), CloudEventHeaders.TYPE))) {
                try {
                    ChatRequestEvent request = EventJson.decode(record.value(), ChatRequestEvent.class);
                    if (request.sessionId() != null
                            && request.messageId() != null
                            && !takenHere.test(request.messageId())) {
                        maybeTaken.add(request);
                    }
                } catch (RuntimeException e) {
                    // the loop skips it as malformed
                }
            }
        }
        return priorAttempts.of(maybeTaken);
    }
}
