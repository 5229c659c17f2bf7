package io.chatstream.connector.stream;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before retry {@code attempt} (1, 2 …): the vendor's Retry-After when it sent
 * one, else exponential backoff with jitter; both capped, so that a vendor asking for an hour does
 * not hold a user's message for an hour (it fails instead, after the retries).
 */
public record RetryPolicy(Duration base, Duration cap) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofMillis(250), Duration.ofSeconds(10));

    public Duration delay(int attempt, Optional<Duration> retryAfter) {
        if (retryAfter.isPresent()) {
            return min(retryAfter.get(), cap);
        }
        long exponential = base.toMillis() << Math.min(Math.max(attempt - 1, 0), 16);
        // Full jitter keeps many streams that failed together from retrying together.
        long jittered = exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
        return min(Duration.ofMillis(jittered), cap);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
