package io.chatstream.connector.scheduling;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The message ids taken recently, so that a redelivered or re-sent request is answered once. In
 * memory and bounded: it covers redelivery to this instance and the ingress's retries. Across
 * instances, {@link PriorAttempts} reads back what an earlier owner published.
 *
 * <p>Fixed memory, allocated once: it holds the ids among the last {@code capacity} added (oldest
 * forgotten first; an id removed frees nothing early), each as its 128 bits in a ring of two
 * {@code long} arrays, found through an open-addressing index ({@code int}s, linear probing, at
 * most half full). For {@code capacity} 100,000 that is 1.6 MB of ring and 1 MB of index, ~2.6 MB
 * in all, whether it was used once or a billion times (a {@code LinkedHashMap} of the same ids
 * took ~240 B an id, 24 MB, and grew up to it with use).
 *
 * <p>Message ids are UUIDv7 ({@link io.chatstream.contract.event.MessageIds}): a canonical UUID
 * string is held exactly. Any other string is held as its name-based UUID (version 3, MD5), which
 * never equals a version-7 id and equals another string's with a chance of about 2^-122.
 */
public final class RecentMessages {

    private final int capacity;
    private final long[] high;
    private final long[] low;
    /** Ring slots whose id is in the index (not removed, not yet overwritten). */
    private final long[] live;
    /** Ring slot + 1 for each index position; 0 is free. */
    private final int[] index;

    private final int mask;
    private int next;

    public RecentMessages(int capacity) {
        if (capacity < 1 || capacity > 1 << 28) {
            throw new IllegalArgumentException("capacity " + capacity + ": 1 … 2^28");
        }
        this.capacity = capacity;
        this.high = new long[capacity];
        this.low = new long[capacity];
        this.live = new long[(capacity + 63) / 64];
        this.index = new int[Integer.highestOneBit(capacity) << 2];
        this.mask = index.length - 1;
    }

    public synchronized boolean contains(String messageId) {
        UUID id = key(messageId);
        return find(id.getMostSignificantBits(), id.getLeastSignificantBits()) >= 0;
    }

    /** Records the id; false when it was already there. */
    public synchronized boolean add(String messageId) {
        UUID id = key(messageId);
        long hi = id.getMostSignificantBits();
        long lo = id.getLeastSignificantBits();
        if (find(hi, lo) >= 0) {
            return false;
        }
        int slot = next;
        next = (next + 1) % capacity;
        if (isLive(slot)) {
            // The ring is full: the oldest id goes.
            deleteAt(find(high[slot], low[slot]));
        }
        high[slot] = hi;
        low[slot] = lo;
        live[slot >>> 6] |= 1L << slot;
        int position = home(hi, lo);
        while (index[position] != 0) {
            position = (position + 1) & mask;
        }
        index[position] = slot + 1;
        return true;
    }

    /** Forgets the id: a request given away is taken again if it comes back. */
    public synchronized void remove(String messageId) {
        UUID id = key(messageId);
        int position = find(id.getMostSignificantBits(), id.getLeastSignificantBits());
        if (position >= 0) {
            int slot = index[position] - 1;
            live[slot >>> 6] &= ~(1L << slot);
            deleteAt(position);
        }
    }

    /** The index position of the id, or -1. */
    private int find(long hi, long lo) {
        for (int position = home(hi, lo); ; position = (position + 1) & mask) {
            int entry = index[position];
            if (entry == 0) {
                return -1;
            }
            if (high[entry - 1] == hi && low[entry - 1] == lo) {
                return position;
            }
        }
    }

    /**
     * Frees an index position, moving back the entries after it that probing would no longer
     * reach (backward-shift deletion: no tombstones, so lookups stay short however many removals).
     */
    private void deleteAt(int hole) {
        for (int position = (hole + 1) & mask; index[position] != 0; position = (position + 1) & mask) {
            int slot = index[position] - 1;
            int home = home(high[slot], low[slot]);
            // It may move into the hole if the hole lies on its probe path (from home to here).
            if (((position - home) & mask) >= ((position - hole) & mask)) {
                index[hole] = index[position];
                hole = position;
            }
        }
        index[hole] = 0;
    }

    private boolean isLive(int slot) {
        return (live[slot >>> 6] & (1L << slot)) != 0;
    }

    private int home(long hi, long lo) {
        // UUIDv7's high bits are mostly time: mix both halves (MurmurHash3's finalizer).
        long h = hi * 31 + lo;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h & mask;
    }

    static UUID key(String messageId) {
        if (messageId.length() == 36) {
            try {
                UUID uuid = UUID.fromString(messageId);
                if (uuid.toString().equals(messageId)) {
                    return uuid;
                }
            } catch (IllegalArgumentException e) {
                // not a UUID: hashed below
            }
        }
        return UUID.nameUUIDFromBytes(messageId.getBytes(StandardCharsets.UTF_8));
    }
}
