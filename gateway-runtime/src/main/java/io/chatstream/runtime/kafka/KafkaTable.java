package io.chatstream.runtime.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiConsumer;
import java.util.function.BinaryOperator;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A map replicated through a compacted topic: every replica reads the whole topic into memory and
 * follows it. How a new record of a key combines with the value held is the table's {@link Merge}:
 * the first writer wins (session owners, idempotency keys) or the last one does (conversation
 * handles). {@link #write} completes once this replica has read its own write back, with the value
 * that the merge kept: two replicas claiming one key at the same moment agree on one winner without
 * any other coordination, because the partition orders their records.
 *
 * <p>Memory holds every live key: fine for the sizes of these tables today; past that, the next
 * step is a local store (RocksDB, as Kafka Streams does) with the topic as its changelog.
 *
 * <p>A little over 250 lines: the reader thread, the merge and the waiters share one state, which
 * a split would have to expose.
 */
public final class KafkaTable implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaTable.class.getName());

    /** How a record combines with the value a key holds (null when it holds none). */
    public interface Merge extends BinaryOperator<byte[]> {

        /** The first value stays, until it is stale. */
        static Merge firstWriterWins(Predicate<byte[]> stale) {
            return (current, next) -> current == null || stale.test(current) ? next : current;
        }

        static Merge lastWriterWins() {
            return (current, next) -> next;
        }
    }

    /**
     * The reader of a table: no group (it assigns itself every partition and reads from the
     * beginning), nothing committed, and a short fetch wait, so that a write is read back soon.
     */
    public static final ClientRole READER = new ClientRole(
            "table-reader",
            Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50));

    private final String topic;
    private final Producer<String, byte[]> producer;
    private final Consumer<String, byte[]> consumer;
    private final Merge merge;
    private final Predicate<byte[]> stale;
    private final Map<String, byte[]> values = new ConcurrentHashMap<>();
    private final Queue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final Thread reader;
    private volatile boolean loaded;
    private volatile BiConsumer<String, byte[]> listener = (key, value) -> {};
    private volatile boolean running = true;

    /**
     * @param consumer the table's own reader, a {@link #READER} client that nothing else uses; the
     *     table closes it
     * @param stale a value that no longer counts: {@link #get} does not return it
     */
    public KafkaTable(
            String topic,
            Consumer<String, byte[]> consumer,
            Producer<String, byte[]> producer,
            Merge merge,
            Predicate<byte[]> stale) {
        this.topic = topic;
        this.producer = producer;
        this.merge = merge;
        this.stale = stale;
        this.consumer = consumer;
        this.reader = new Thread(this::run, "table-" + topic);
        this.reader.setDaemon(true);
    }

    /**
     * Called on the reading thread after every change of a key, with the value kept (null when the
     * key was deleted), and on the producer's thread for a {@link #put}: for a secondary index,
     * which must be thread-safe and idempotent. Set it before {@link #start()}.
     */
    public void onChange(BiConsumer<String, byte[]> listener) {
        this.listener = listener;
    }

    public void start() {
        reader.start();
    }

    /** Whether the table has read the topic up to where it ended at start-up. */
    public boolean loaded() {
        return loaded;
    }

    public Optional<byte[]> get(String key) {
        byte[] value = values.get(key);
        return value == null || stale.test(value) ? Optional.empty() : Optional.of(value);
    }

    /**
     * Writes {@code value} unless the table's merge would keep what the key holds anyway; completes
     * with the value kept once this replica has read the write back.
     */
    public CompletableFuture<byte[]> write(String key, byte[] value) {
        byte[] current = values.get(key);
        if (current != null && merge.apply(current, value) == current) {
            return CompletableFuture.completedFuture(current);
        }
        return send(
                key,
                value,
                (metadata, winner) -> waiters.add(
                        new Waiter(new TopicPartition(topic, metadata.partition()), metadata.offset(), key, winner)));
    }

    /**
     * Writes {@code value} and completes once Kafka acknowledged it, this replica's memory already
     * holding it: read-your-writes without waiting for the reader to read the write back (a fetch
     * round trip). Only for a key that nobody writes concurrently, e.g. one whose next record can
     * only be written after this one is acknowledged; {@link #write} is the way to race for a key.
     */
    public CompletableFuture<byte[]> put(String key, byte[] value) {
        return send(key, value, (metadata, written) -> {
            // The reader applies the same record again later: the same value, the same index.
            byte[] kept = values.compute(key, (k, current) -> merge.apply(current, value));
            listener.accept(key, kept);
            written.complete(kept);
        });
    }

    /** Forgets a key everywhere (a tombstone); compaction removes it from the topic. */
    public CompletableFuture<Void> delete(String key) {
        return send(key, null, (metadata, done) -> done.complete(null));
    }

    /**
     * Sends one record; a failure, whether reported by the broker or thrown by {@code send()} itself
     * (no metadata within max.block.ms), fails the future, and {@code onAck} completes it.
     */
    private <T> CompletableFuture<T> send(
            String key, byte[] value, BiConsumer<RecordMetadata, CompletableFuture<T>> onAck) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    onAck.accept(metadata, result);
                }
            });
        } catch (KafkaException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    private void run() {
        try {
            List<TopicPartition> partitions = partitions();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> endAtStart = consumer.endOffsets(partitions, Duration.ofMinutes(5));
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    apply(record);
                }
                if (!loaded
                        && endAtStart.entrySet().stream()
                                .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    loaded = true;
                    LOG.info(() -> "table " + topic + " loaded: " + values.size() + " keys");
                }
                releaseWaiters();
            }
        } catch (WakeupException | InterruptedException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, e, () -> "table " + topic + " stopped reading");
        } finally {
            consumer.close();
        }
    }

    /**
     * The topic's partitions, waiting for them: a topic created a moment ago may not be in the
     * metadata yet, and a broker may not be up yet.
     */
    private List<TopicPartition> partitions() throws InterruptedException {
        while (running) {
            List<TopicPartition> partitions = new ArrayList<>();
            try {
                consumer.partitionsFor(topic, Duration.ofSeconds(10))
                        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.warning(() -> "table " + topic + ": no metadata yet, retrying");
            }
            if (!partitions.isEmpty()) {
                return partitions;
            }
            Thread.sleep(200);
        }
        return List.of();
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        byte[] kept;
        if (record.value() == null) {
            values.remove(record.key());
            kept = null;
        } else {
            kept = values.compute(record.key(), (key, current) -> merge.apply(current, record.value()));
        }
        listener.accept(record.key(), kept);
    }

    private void releaseWaiters() {
        for (var it = waiters.iterator(); it.hasNext(); ) {
            Waiter waiter = it.next();
            if (consumer.position(waiter.partition()) > waiter.offset()) {
                it.remove();
                byte[] value = values.get(waiter.key());
                if (value == null) {
                    waiter.winner().completeExceptionally(new IllegalStateException("the key was deleted meanwhile"));
                } else {
                    waiter.winner().complete(value);
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }

    private record Waiter(TopicPartition partition, long offset, String key, CompletableFuture<byte[]> winner) {}
}
