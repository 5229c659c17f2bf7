package io.chatstream.session.relay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentMap;

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
 * <p>The budget counts every session held, not only events: a session's own objects (its map
 * entry, buffer, starts) cost {@link #SESSION_BYTES}, a message's start {@link #START_BYTES} (on
 * its {@code message.started} event), and a session goes with its last event unless a subscriber
 * or a message in progress keeps it ({@link SessionReplay#forget}). So the replay memory of the
 * instance is at most {@code replay-max-bytes} (by these estimates), plus the sessions with an open
 * WebSocket or an answer in progress whose events it forgot, {@code SESSION_BYTES} each.
 *
 * <p>Called only by the {@code chat.events} reader's thread, in the order it relays events, so
 * the oldest kept event of the instance is also the oldest kept event of its session.
 */
final class ReplayBudget {

    /** What one kept event costs beyond its text: the record, its cursor, time and strings. */
    static final int OVERHEAD_BYTES = 400;
    /**
     * What one session costs beyond its events (measured, jcmd GC.class_histogram: its map node
     * and key, its SessionReplay, buffer, subscriber list and MessageStarts map, ~530 B).
     */
    static final int SESSION_BYTES = 600;
    /** What a message's entry in its session's {@link MessageStarts} costs (entry, start, cursor). */
    static final int START_BYTES = 120;

    private final long maxBytes;
    private final Duration window;
    private final ArrayDeque<RelayedEvent> kept = new ArrayDeque<>();
    // Written by the reader's thread only; volatile for the metrics scrape that reads them.
    private volatile long bytes;
    private volatile int events;
    private long eventBytes;
    /** The newest event forgotten for want of room (not age): memory is incomplete up to here. */
    private volatile Instant forgottenUpTo = Instant.MIN;

    ReplayBudget(long maxBytes, Duration window) {
        this.maxBytes = maxBytes;
        this.window = window;
    }

    /**
     * Counts an event its session just kept, then forgets the oldest events of any session until
     * the instance is within its budget and its window again; a session left with nothing to keep
     * is dropped from {@code sessions}.
     */
    void kept(RelayedEvent event, Instant now, ConcurrentMap<String, SessionReplay> sessions) {
        kept.addLast(event);
        eventBytes += sizeOf(event);
        Instant oldest = now.minus(window);
        while (!kept.isEmpty()) {
            boolean overBudget = eventBytes + sessions.size() * (long) SESSION_BYTES > maxBytes;
            if (!overBudget && !kept.peekFirst().time().isBefore(oldest)) {
                break;
            }
            RelayedEvent forgotten = kept.pollFirst();
            eventBytes -= sizeOf(forgotten);
            if (overBudget) {
                forgottenUpTo = forgotten.time();
            }
            SessionReplay replay = sessions.get(forgotten.streamKey());
            if (replay != null && replay.forget(forgotten)) {
                sessions.remove(forgotten.streamKey(), replay);
            }
        }
        bytes = eventBytes + sessions.size() * (long) SESSION_BYTES;
        events = kept.size();
    }

    /** Up to when events were forgotten for room: a message accepted before may have started unseen. */
    Instant forgottenUpTo() {
        return forgottenUpTo;
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
        return text + OVERHEAD_BYTES + (event.isStarted() ? START_BYTES : 0);
    }
}
