package io.chatstream.session.websocket;

import io.chatstream.session.metrics.SessionMetrics;
import io.chatstream.session.relay.RelayedEvent;
import java.util.ArrayDeque;

/**
 * One connection's frames that the socket has not taken yet. Up to {@code mergeAfter} entries it
 * is a plain queue; past that, a delta that follows the last queued delta of its message joins
 * it (deltas concatenate, so nothing is lost and the queue stops growing); past the hard limits
 * (frames or characters) the caller closes the connection. Filled by relay threads, drained by
 * the connection's event loop: every method holds this object's monitor, briefly.
 */
final class OutboundQueue {

    /** What one connection holds, for tests and diagnostics. */
    record Stats(int queued, long chars, long mergedDeltas) {}

    private final int mergeAfter;
    private final int maxFrames;
    private final long maxChars;
    private final SessionMetrics metrics;
    private final ArrayDeque<Outbound> queue = new ArrayDeque<>();
    private long chars;
    private long mergedDeltas;

    OutboundQueue(int mergeAfter, int maxFrames, long maxChars, SessionMetrics metrics) {
        this.mergeAfter = mergeAfter;
        this.maxFrames = maxFrames;
        this.maxChars = maxChars;
        this.metrics = metrics;
    }

    /** @return false when the queue is past a hard limit: the client is too slow, close it */
    synchronized boolean offer(RelayedEvent event) {
        if (queue.size() >= mergeAfter && event.isDelta() && mergeIntoLast(event)) {
            mergedDeltas++;
            metrics.mergedDelta();
        } else {
            Outbound entry = new Outbound.Single(event);
            queue.addLast(entry);
            chars += entry.chars();
        }
        return queue.size() <= maxFrames && chars <= maxChars;
    }

    /**
     * The next entry to send, or null. Once out of the queue nothing merges into it any more, so
     * the caller renders its frame outside this lock.
     */
    synchronized Outbound poll() {
        Outbound entry = queue.pollFirst();
        if (entry != null) {
            chars -= entry.chars();
        }
        return entry;
    }

    synchronized void clear() {
        queue.clear();
        chars = 0;
    }

    synchronized Stats stats() {
        return new Stats(queue.size(), chars, mergedDeltas);
    }

    private boolean mergeIntoLast(RelayedEvent event) {
        Outbound last = queue.peekLast();
        MergedDelta merged;
        if (last instanceof MergedDelta m) {
            merged = m;
        } else if (last instanceof Outbound.Single single && single.event().isDelta()) {
            merged = new MergedDelta(single.event());
        } else {
            return false;
        }
        if (!merged.accepts(event)) {
            return false;
        }
        if (merged != last) {
            queue.pollLast();
            queue.addLast(merged);
        }
        chars -= merged.chars();
        merged.add(event);
        chars += merged.chars();
        return true;
    }
}
