package io.chatstream.session.relay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.function.Function;

/**
 * One memory budget for the replay buffers of all sessions together: past it, the oldest events of
 * the whole instance are forgotten first, whichever session they belong to.
 *
 * <p>Why: each session's buffer is bounded by count and age, but the sum over sessions was not,
 * and at 1,000 busy sessions it filled the heap (docs/benchmarks.md). The cost of holding every
 * event is also paid in time: the young-generation collector copies every surviving event, so a
 * large buffer made the collector's pauses, and with them the token latency's p99, long. Memory
 * is only a cache here: what it no longer holds is read back from Kafka ({@link CatchUpReaders}).
 *
 * <p>Called only by the {@code chat.events} reader's thread, in the order it relays events, so
 * the oldest kept event of the instance is also the oldest kept event of its session.
 */
final class ReplayBudget {

    /** What one kept event costs beyond its text: the record, its cursor, time and strings. */
    static final int OVERHEAD_BYTES = 400;

    private final long maxBytes;
    private final Duration window;
    private final ArrayDeque<RelayedEvent> kept = new ArrayDeque<>();
    // Written by the reader's thread only; volatile for the metrics scrape that reads them.
    private volatile long bytes;
    private volatile int events;

    ReplayBudget(long maxBytes, Duration window) {
        this.maxBytes = maxBytes;
        this.window = window;
    }

    /**
     * Counts an event its session just kept, then forgets the oldest events of any session until
     * the instance is within its budget and its window again.
     *
     * @param sessionOf the session's buffer, if it still exists
     */
    void kept(RelayedEvent event, Instant now, Function<String, SessionReplay> sessionOf) {
        kept.addLast(event);
        long held = bytes + sizeOf(event);
        Instant oldest = now.minus(window);
        while (!kept.isEmpty() && (held > maxBytes || kept.peekFirst().time().isBefore(oldest))) {
            RelayedEvent forgotten = kept.pollFirst();
            held -= sizeOf(forgotten);
            SessionReplay replay = sessionOf.apply(forgotten.streamKey());
            if (replay != null) {
                replay.forget(forgotten);
            }
        }
        bytes = held;
        events = kept.size();
    }

    long bytes() {
        return bytes;
    }

    int events() {
        return events;
    }

    /** An estimate: Latin-1 text (one byte a character, most frames are) plus the objects around it. */
    static long sizeOf(RelayedEvent event) {
        long text = event.frame().length();
        if (event.deltaText() != null) {
            text += event.deltaText().length();
        }
        return text + OVERHEAD_BYTES;
    }
}
