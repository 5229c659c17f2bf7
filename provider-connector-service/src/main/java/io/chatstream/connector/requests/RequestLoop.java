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
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
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
 * requests wait for their turn (streams are limited by the scheduler, and cancels keep flowing)
 * or the database work queued is at its bound.
 *
 * <p>Partitions move incrementally (cooperative rebalancing): only those given away are revoked,
 * and their hand-off is one rule, the same for a rebalance and for a shutdown. The messages still
 * streaming there may finish here, for up to the hand-off time, before the partition goes: the
 * new owner then reads on after them, and no client sees a restart. Their requests' offsets are
 * committed once their terminal events are stored. What still runs at the deadline is given back
 * unended (nothing more published), and the new owner restarts it after a {@code message.reset}.
 */
public final class RequestLoop implements Runnable {

    private static final Logger LOG = Logger.getLogger(RequestLoop.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final String provider;
    private final KafkaConsumer<String, byte[]> consumer;
    private final RequestScheduler scheduler;
    private final int maxQueued;
    private final Duration handOffTimeout;
    private final Duration drainTimeout;
    private final MessageTracing tracing;
    private final PartitionOffsets offsets = new PartitionOffsets();
    private final Redelivery redelivery;
    private final BooleanSupplier databaseFull;
    private final Supplier<Consumer<String, byte[]>> handOffReaders;

    private volatile boolean running;
    private volatile boolean stopping;
    private boolean paused;

    RequestLoop(
            String provider,
            KafkaConsumer<String, byte[]> consumer,
            RequestScheduler scheduler,
            RequestLoopSettings settings,
            MessageTracing tracing,
            PriorAttempts priorAttempts,
            BooleanSupplier databaseFull,
            Supplier<Consumer<String, byte[]>> handOffReaders) {
        this.handOffReaders = handOffReaders;
        this.tracing = tracing;
        this.databaseFull = databaseFull;
        this.provider = provider;
        this.redelivery = new Redelivery(priorAttempts);
        this.consumer = consumer;
        this.scheduler = scheduler;
        this.maxQueued = settings.maxQueued();
        this.handOffTimeout = settings.handOffTimeout();
        this.drainTimeout = settings.drainTimeout();
    }

    /** Whether the loop is subscribed and polling. */
    boolean running() {
        return running;
    }

    boolean stopping() {
        return stopping;
    }

    /** Stops taking requests; the loop then hands its partitions off (within the drain time) and leaves the group. */
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
                    priors = redelivery.priorsOf(records, scheduler::taken);
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
            leave();
        }
    }

    /** Hands every partition off (the drain), commits, and leaves the group at once, static member or not. */
    private void leave() {
        try {
            handOff(consumer.assignment(), drainTimeout);
        } catch (RuntimeException e) {
            LOG.warnf("provider %s: hand-off at shutdown failed: %s", provider, e.getMessage());
        }
        try {
            consumer.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(5)));
        } catch (RuntimeException e) {
            LOG.warnf("provider %s: closing the consumer failed: %s", provider, e.getMessage());
        }
    }

    /**
     * Lets the streams of {@code partitions} finish here for up to {@code timeout} (nothing new of
     * them starts), gives back what still runs, and commits what finished.
     */
    private void handOff(Collection<TopicPartition> partitions, Duration timeout) {
        if (partitions.isEmpty()) {
            return;
        }
        Set<Integer> numbers =
                partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet());
        int queued = scheduler.release(numbers, false);
        long deadline = System.nanoTime() + timeout.toNanos();
        if (scheduler.inFlight(numbers) > 0 && System.nanoTime() < deadline) {
            try (HandOffCancels cancels =
                    new HandOffCancels(handOffReaders.get(), positions(consumer.assignment()), scheduler::cancel)) {
                while (scheduler.inFlight(numbers) > 0 && System.nanoTime() < deadline) {
                    cancels.poll(Duration.ofMillis(20));
                }
            } catch (RuntimeException e) {
                LOG.warnf(
                        "provider %s: cancels of %s not read during the hand-off: %s",
                        provider, numbers, e.getMessage());
                while (scheduler.inFlight(numbers) > 0 && System.nanoTime() < deadline) {
                    sleep(Duration.ofMillis(20));
                }
            }
        }
        int cut = scheduler.release(numbers, true);
        if (queued + cut > 0) {
            LOG.infof(
                    "provider %s: partitions %s handed off; %d queued and %d still streaming given back",
                    provider, numbers, queued, cut);
        }
        // The finished requests' offsets move once their terminal events are stored: wait a moment.
        long stored = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (offsets.unfinishedOf(partitions) > queued + cut && System.nanoTime() < stored) {
            sleep(Duration.ofMillis(20));
        }
        Map<TopicPartition, OffsetAndMetadata> toCommit = offsets.committable(new HashSet<>(partitions));
        if (!toCommit.isEmpty()) {
            consumer.commitSync(toCommit);
            offsets.committed(toCommit);
        }
    }

    /**
     * Where the loop would read each partition next. While a hand-off waits, the loop's own poll is
     * held (in the rebalance callback, or at shutdown), so the cancels of every partition still
     * assigned are read from here, not only of those moving away.
     */
    private Map<TopicPartition, Long> positions(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (TopicPartition partition : partitions) {
            positions.put(partition, consumer.position(partition, Duration.ofSeconds(2)));
        }
        return positions;
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
        OffsetTracker tracker = offsets.of(partition);
        long offset = record.offset();
        if (!tracker.track(offset)) {
            return; // read again after the partition came back: still in flight here
        }
        String type = CloudEventRecords.header(record.headers(), CloudEventHeaders.TYPE);
        try {
            if (CloudEventHeaders.TYPE_REQUEST.equals(type)) {
                ChatRequestEvent request = EventJson.decode(record.value(), ChatRequestEvent.class);
                if (request.sessionId() == null || request.messageId() == null || request.text() == null) {
                    throw new IllegalArgumentException("a request without sessionId, messageId or text");
                }
                Runnable untraced = tracing.received(
                        record.topic(), record.headers(), request.sessionId(), request.messageId(), request.bot());
                scheduler.submit(request, record.partition(), priors.get(request.messageId()), () -> {
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

    private void commitAsync() {
        Set<TopicPartition> assigned = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> committable = offsets.committable(assigned);
        if (!committable.isEmpty()) {
            consumer.commitAsync(committable, (committed, error) -> {
                if (error == null) {
                    offsets.committed(committed);
                } else {
                    LOG.debugf("provider %s: commit failed, retried next loop: %s", provider, error.getMessage());
                }
            });
        }
    }

    /**
     * Pauses reading while too many requests wait for their turn (streams are the scheduler's to
     * limit), or while the database work queued is at its bound: a request taken then would only
     * add to a queue the database does not keep up with.
     */
    private void applyBackpressure() {
        int queued = scheduler.queued();
        boolean full = queued >= maxQueued || databaseFull.getAsBoolean();
        if (!paused && full) {
            consumer.pause(consumer.assignment());
            paused = true;
            LOG.debugf("provider %s: %d requests queued, or the database queue full: reading paused", provider, queued);
        } else if (paused && !full) {
            consumer.resume(consumer.paused());
            paused = false;
        }
    }

    /** Hands off the partitions that move away; refills what may be redelivered of those that arrive. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            try {
                handOff(partitions, handOffTimeout);
            } catch (RuntimeException e) {
                LOG.warnf("provider %s: hand-off of %s failed: %s", provider, partitions, e.getMessage());
            }
            offsets.revoked(partitions);
            redelivery.revoked(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // This member was fenced: another may own them already. Stop writing for them at once.
            scheduler.release(partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet()), true);
            offsets.revoked(partitions);
            redelivery.revoked(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            redelivery.assigned(consumer.endOffsets(partitions));
            if (paused) {
                // A paused consumer stays paused for the partitions it gets now too.
                consumer.pause(partitions);
            }
        }
    }
}
