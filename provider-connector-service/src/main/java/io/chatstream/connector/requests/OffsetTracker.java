package io.chatstream.connector.requests;

import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * The offsets of one partition taken but not finished. The committable offset is the oldest
 * unfinished one (or the next after the newest, when all are done): a connector that dies is
 * replaced without losing a request, and repeats only those it had not finished. A partition's
 * tracker outlives a revocation while requests of it are unfinished here, so that when the
 * partition comes back, a request read again is recognised as still in flight instead of being
 * taken as done. Thread-safe: requests finish on other threads than the consumer's.
 */
public final class OffsetTracker {

    private final TreeSet<Long> unfinished = new TreeSet<>();
    private long newest = -1;
    private long committed = -1;

    /** Takes an offset as unfinished; false when it is unfinished already (read again, still in flight here). */
    public synchronized boolean track(long offset) {
        newest = Math.max(newest, offset);
        return unfinished.add(offset);
    }

    public synchronized void done(long offset) {
        unfinished.remove(offset);
    }

    /** The offset to commit (the next record to read after a restart), if it moved since the last commit. */
    public synchronized OptionalLong committable() {
        if (newest < 0) {
            return OptionalLong.empty();
        }
        long next = unfinished.isEmpty() ? newest + 1 : unfinished.first();
        return next > committed ? OptionalLong.of(next) : OptionalLong.empty();
    }

    public synchronized void committed(long offset) {
        committed = Math.max(committed, offset);
    }

    public synchronized int unfinished() {
        return unfinished.size();
    }
}
