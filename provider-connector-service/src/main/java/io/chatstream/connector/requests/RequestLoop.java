package io.chatstream.connector.requests;

import io.chatstream.connector.scheduling.RequestScheduler;
import io.chatstream.connector.stream.PriorAttempt;
import io.chatstream.connector.tracing.MessageTracing;
import io.chatstream.contract.CloudEventHeaders;
import io.chatstream.contract.CloudEventRecords;
import io.chatstream.contract.Topics;
import io.chatstream.contract.event.CancelCommandEvent;
import io.chatstream.contract.event.ChatRequestEvent;
import io.chatstream.contract.event.EventJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * The request loop of one provider, on its own thread (a KafkaConsumer is single-threaded): reads
 * {@code chat.requests.<provider>}, hands requests and cancels to the {@link RequestScheduler},
 * commits each partition up to its oldest unfinished request, and pauses reading while too many
 * requests are in flight.
 *
 * <p>Requests below the end a partition had when it was assigned here may have been taken by an
 * earlier owner (a connector that died, or gave the partition away, before committing them): for
 * those, {@link PriorAttempts} reads back what that owner published, so that none is answered
 * twice and none that had started streams a second {@code message.started}.
 */
final class RequestLoop implements Runnable {

    private static final Logger LOG = Logger.getLogger(RequestLoop.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final String provider;
    private final KafkaConsumer<String, byte[]> consumer;
    private final RequestScheduler scheduler;
    private final int maxInFlight;
    private final MessageTracing tracing;
    private final Map<TopicPartition, OffsetTracker> trackers = new ConcurrentHashMap<>();
    private final PriorAttempts priorAttempts;
    /** Per partition: the end it had when it was assigned here; below it, requests may be redelivered. */
    private final Map<TopicPartition, Long> redeliveredBelow = new HashMap<>();

    private volatile boolean running;
    private volatile boolean stopping;
    private boolean paused;

    RequestLoop(
            String provider,
            KafkaConsumer<String, byte[]> consumer,
            RequestScheduler scheduler,
            int maxInFlight,
            MessageTracing tracing,
            PriorAttempts priorAttempts) {
        this.tracing = tracing;
        this.provider = provider;
        this.priorAttempts = priorAttempts;
        this.consumer = consumer;
        this.scheduler = scheduler;
        this.maxInFlight = maxInFlight;
    }

    /** Whether the loop is subscribed and polling. */
    boolean running() {
        return running;
    }

    boolean stopping() {
        return stopping;
    }

    void stop() {
        stopping = true;
        consumer.wakeup();
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(Topics.requests(provider)), new Rebalance());
            running = true;
            while (!stopping) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                Map<String, PriorAttempt> priors;
                try {
                    priors = priorsOf(records);
                } catch (IllegalStateException e) {
                    LOG.warnf("provider %s: %s; the redelivered requests are read again", provider, e.getMessage());
                    rewind(records);
                    continue;
                }
                for (ConsumerRecord<String, byte[]> record : records) {
                    handle(record, priors);
                }
                commitAsync();
                applyBackpressure();
            }
        } catch (WakeupException e) {
            // stop() was called
        } catch (RuntimeException e) {
            LOG.errorf(e, "the request loop of provider %s stopped", provider);
        } finally {
            running = false;
            try {
                consumer.commitSync(committable());
            } catch (RuntimeException e) {
                LOG.warnf("provider %s: last commit failed: %s", provider, e.getMessage());
            }
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** What earlier owners published of the requests in {@code records} that may be redelivered. */
    private Map<String, PriorAttempt> priorsOf(ConsumerRecords<String, byte[]> records) {
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
                            && !scheduler.taken(request.messageId())) {
                        maybeTaken.add(request);
                    }
                } catch (RuntimeException e) {
                    // handle() skips it
                }
            }
        }
        return priorAttempts.of(maybeTaken);
    }

    /** Reads {@code records} again on the next poll. */
    private void rewind(ConsumerRecords<String, byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            consumer.seek(partition, records.records(partition).get(0).offset());
        }
        sleep(Duration.ofSeconds(1));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record, Map<String, PriorAttempt> priors) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        OffsetTracker tracker = trackers.computeIfAbsent(partition, p -> new OffsetTracker());
        long offset = record.offset();
        tracker.track(offset);
        String type = CloudEventRecords.header(record.headers(), CloudEventHeaders.TYPE);
        try {
            if (CloudEventHeaders.TYPE_REQUEST.equals(type)) {
                ChatRequestEvent request = EventJson.decode(record.value(), ChatRequestEvent.class);
                if (request.sessionId() == null || request.messageId() == null || request.text() == null) {
                    throw new IllegalArgumentException("a request without sessionId, messageId or text");
                }
                Runnable untraced = tracing.received(
                        record.topic(), record.headers(), request.sessionId(), request.messageId(), request.bot());
                scheduler.submit(request, priors.get(request.messageId()), () -> {
                    tracker.done(offset);
                    untraced.run();
                });
                return;
            }
            if (CloudEventHeaders.TYPE_CANCEL.equals(type)) {
                CancelCommandEvent cancel = EventJson.decode(record.value(), CancelCommandEvent.class);
                scheduler.cancel(cancel.messageId());
            } else {
                LOG.warnf("%s-%d@%d: unknown ce_type %s, skipped", record.topic(), record.partition(), offset, type);
            }
        } catch (RuntimeException e) {
            // Never the value: it holds the user's text.
            LOG.warnf(
                    "%s-%d@%d: malformed %s record skipped: %s",
                    record.topic(), record.partition(), offset, type, e.getMessage());
        }
        tracker.done(offset);
    }

    private Map<TopicPartition, OffsetAndMetadata> committable() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        trackers.forEach((partition, tracker) ->
                tracker.committable().ifPresent(next -> offsets.put(partition, new OffsetAndMetadata(next))));
        return offsets;
    }

    private void commitAsync() {
        Map<TopicPartition, OffsetAndMetadata> offsets = committable();
        if (!offsets.isEmpty()) {
            consumer.commitAsync(offsets, (committed, error) -> {
                if (error == null) {
                    committed.forEach((partition, meta) -> {
                        OffsetTracker tracker = trackers.get(partition);
                        if (tracker != null) {
                            tracker.committed(meta.offset());
                        }
                    });
                } else {
                    LOG.debugf("provider %s: commit failed, retried next loop: %s", provider, error.getMessage());
                }
            });
        }
    }

    private void applyBackpressure() {
        int inFlight = scheduler.inFlight();
        if (!paused && inFlight >= maxInFlight) {
            consumer.pause(consumer.assignment());
            paused = true;
            LOG.debugf("provider %s: %d requests in flight, reading paused", provider, inFlight);
        } else if (paused && inFlight < maxInFlight) {
            consumer.resume(consumer.paused());
            paused = false;
        }
    }

    /** On revocation, commits what is done of the partitions given away. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> offsets = committable();
            offsets.keySet().retainAll(partitions);
            try {
                consumer.commitSync(offsets);
            } catch (RuntimeException e) {
                LOG.warnf("provider %s: commit on revocation failed: %s", provider, e.getMessage());
            }
            partitions.forEach(trackers::remove);
            partitions.forEach(redeliveredBelow::remove);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                redeliveredBelow.putAll(consumer.endOffsets(partitions));
            }
            if (paused) {
                // A paused consumer stays paused for the partitions it gets now too.
                consumer.pause(partitions);
            }
        }
    }
}
