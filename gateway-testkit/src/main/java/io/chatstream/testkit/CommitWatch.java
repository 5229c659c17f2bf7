package io.chatstream.testkit;

import io.chatstream.contract.TopicDefinitions;
import io.chatstream.contract.Topics;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The contract's commit rule (docs/api.md) watched as an operator would, from outside, while
 * faults happen: every ~75 ms, a connector group's committed offset of each request partition (an
 * admin client) must be ≤ the offset of that partition's oldest unfinished request, a request being
 * finished once its terminal event is on {@code chat.events}. A sample reads the committed offsets,
 * then the ends of {@code chat.events}: a request committed past must have its terminal event
 * below those ends (the other order would blame a commit for an event written after it). Samples
 * are checked on another thread, once the caller's readers have caught up with them, so that
 * slow readers on a busy machine do not thin out the samples.
 */
public final class CommitWatch implements AutoCloseable {

    /** A sample starts this long after the previous one started, or at once when that one took longer. */
    private static final long PERIOD_MS = 75;

    /** What the broker said at one moment: the committed offsets, then the ends of the events' partitions. */
    private record Sample(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> eventEnds) {}

    /** A request record: its message, and where it is. */
    public record Request(String messageId, TopicPartition partition, long offset) {}

    /** What the caller knows of the requests and their events, from its own readers of the topics. */
    public interface Known {

        /** The requests written so far. */
        Collection<Request> requests();

        /**
         * Whether the readers have seen every request below {@code committed} and every event below
         * {@code eventEnds} (per partition, exclusive).
         */
        boolean caughtUp(Map<TopicPartition, Long> committed, Map<TopicPartition, Long> eventEnds);

        /** Whether the message's terminal event is among the events below {@code eventEnds}. */
        boolean endedBefore(String messageId, Map<TopicPartition, Long> eventEnds);
    }

    private final Admin admin;
    private final String group;
    private final Known known;
    private final Set<String> violating = ConcurrentHashMap.newKeySet();
    private final AtomicInteger samples = new AtomicInteger();
    private final AtomicInteger violations = new AtomicInteger();
    private final BlockingQueue<Sample> toCheck = new LinkedBlockingQueue<>(10_000);
    private final AtomicInteger taken = new AtomicInteger();
    private final Thread sampler;
    private final Thread checker;
    private volatile boolean stopping;
    private volatile Duration watched = Duration.ZERO;

    /** Starts watching the group {@code connector-<provider>} at once. */
    public CommitWatch(String bootstrapServers, String provider, Known known) {
        this.known = known;
        this.group = "connector-" + provider;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        sampler = daemon(this::sampleAll, "commit-watch-sampler");
        checker = daemon(this::checkAll, "commit-watch-checker");
    }

    private static Thread daemon(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void sampleAll() {
        long started = System.nanoTime();
        while (!stopping) {
            long at = System.nanoTime();
            try {
                if (toCheck.offer(sample())) {
                    taken.incrementAndGet();
                }
            } catch (Exception e) {
                // the broker is busy with a rebalance or a restart: sample again
            }
            ChildProcess.sleep(Math.max(0, PERIOD_MS - (System.nanoTime() - at) / 1_000_000));
            watched = Duration.ofNanos(System.nanoTime() - started);
        }
    }

    private Sample sample() throws Exception {
        Map<TopicPartition, Long> committed = new HashMap<>();
        admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(5, TimeUnit.SECONDS)
                .forEach((partition, meta) -> {
                    if (meta != null) {
                        committed.put(partition, meta.offset());
                    }
                });
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < TopicDefinitions.EVENT_PARTITIONS; p++) {
            latest.put(new TopicPartition(Topics.EVENTS, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> eventEnds = new HashMap<>();
        admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS).forEach((p, info) -> eventEnds.put(p, info.offset()));
        return new Sample(committed, eventEnds);
    }

    /** Checks each sample once the readers have caught up with it; until the sampler stopped and all are checked. */
    private void checkAll() {
        while (!(stopping && toCheck.isEmpty() && !sampler.isAlive())) {
            Sample sample;
            try {
                sample = toCheck.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (sample != null) {
                check(sample);
            }
        }
    }

    private void check(Sample sample) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!known.caughtUp(sample.committed(), sample.eventEnds())) {
            if (System.nanoTime() > deadline) {
                return; // the readers did not catch up: not counted as a sample
            }
            ChildProcess.sleep(10);
        }
        // A request written after the sample lies at or after the committed offset: never flagged.
        for (Request request : List.copyOf(known.requests())) {
            Long at = sample.committed().get(request.partition());
            if (at != null && at > request.offset() && !known.endedBefore(request.messageId(), sample.eventEnds())) {
                violations.incrementAndGet();
                violating.add(request.partition() + "@" + request.offset() + " committed " + at);
            }
        }
        samples.incrementAndGet();
    }

    /** Samples checked so far (each one: every partition's committed offset against every request). */
    public int samples() {
        return samples.get();
    }

    /** Commits past an unfinished request, counted once per sample that saw it. */
    public int violations() {
        return violations.get();
    }

    /** The requests committed past while unfinished: {@code partition@offset committed <offset>}. */
    public Set<String> violating() {
        return Set.copyOf(violating);
    }

    /** {@code N offset violations in M samples (one every X ms)}, for figures. */
    public String summary() {
        int n = taken.get();
        return violations() + " offset violations in " + samples() + " samples (one every "
                + (n == 0 ? "—" : watched.toMillis() / n) + " ms)";
    }

    /** Stops sampling, and returns once every sample taken is checked (up to 60 s). */
    @Override
    public synchronized void close() {
        if (stopping) {
            return;
        }
        stopping = true;
        try {
            sampler.join(10_000);
            checker.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ofSeconds(2));
    }
}
