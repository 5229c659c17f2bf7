package io.chatstream.connector.requests;

import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * The offsets of one partition taken but not finished. The committable offset is the oldest
 * unfinished one (or the next after the newest, when all are done): a connector that dies is
 * replaced without losing a request, and repeats only those it had not finished. Thread-safe:
 * requests finish on other threads than the consumer's.
 */
public final class OffsetTracker {

    private final TreeSet<Long> unfinished = new TreeSet<>();
    private long newest = -1;
    private long committed = -1;

    public synchronized void track(long offset) {
        unfinished.add(offset);
        newest = Math.max(newest, offset);
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
