package io.chatstream.connector.scheduling;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The message ids taken recently, so that a redelivered or re-sent request is answered once. In
 * memory and bounded (oldest forgotten first): it covers redelivery to this instance and the
 * ingress's retries. Across instances, {@link PriorAttempts} reads back what an earlier owner
 * published.
 */
public final class RecentMessages {

    private final Map<String, Boolean> ids;

    public RecentMessages(int capacity) {
        this.ids = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized boolean contains(String messageId) {
        return ids.containsKey(messageId);
    }

    /** Records the id; false when it was already there. */
    public synchronized boolean add(String messageId) {
        return ids.put(messageId, Boolean.TRUE) == null;
    }

    /** Forgets the id: a request given away is taken again if it comes back. */
    public synchronized void remove(String messageId) {
        ids.remove(messageId);
    }
}
