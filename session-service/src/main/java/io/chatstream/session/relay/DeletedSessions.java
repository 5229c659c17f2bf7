package io.chatstream.session.relay;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stream keys of sessions deleted lately. A stream token minted before its session's delete
 * stays valid until it expires; this is what refuses it meanwhile, so that a client holding one
 * cannot replay the deleted session's events from Kafka. An entry is kept for one token
 * lifetime, so memory is bounded by the deletes of one {@code gateway.stream-token.ttl}.
 */
final class DeletedSessions {

    private final ConcurrentHashMap<String, Instant> deletedAt = new ConcurrentHashMap<>();
    private final Duration remember;

    DeletedSessions(Duration remember) {
        this.remember = remember;
    }

    void add(String streamKey, Instant at) {
        deletedAt.put(streamKey, at);
    }

    boolean contains(String streamKey) {
        return deletedAt.containsKey(streamKey);
    }

    /** Forgets the deletes whose tokens have all expired. */
    void sweep(Instant now) {
        Instant oldest = now.minus(remember);
        deletedAt.values().removeIf(at -> at.isBefore(oldest));
    }

    int size() {
        return deletedAt.size();
    }
}
