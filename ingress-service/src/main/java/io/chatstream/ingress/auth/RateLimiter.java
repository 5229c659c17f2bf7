package io.chatstream.ingress.auth;

import io.chatstream.ingress.config.IngressConfig;
import io.chatstream.ingress.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per API key (its owner id). Per replica: with N ingress replicas a key may send N
 * times the configured rate, which is what a per-replica limit in front of a load balancer means.
 */
@ApplicationScoped
public class RateLimiter {

    private final double perSecond;
    private final int burst;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    @Inject
    public RateLimiter(IngressConfig config) {
        this(config.rateLimit().perSecond(), config.rateLimit().burst());
    }

    RateLimiter(double perSecond, int burst) {
        this.perSecond = perSecond;
        this.burst = burst;
    }

    /** Takes one request from the owner's bucket, or refuses with 429 and a {@code Retry-After}. */
    public void acquire(String owner) {
        Bucket bucket = buckets.computeIfAbsent(owner, o -> new Bucket(burst));
        long waitNanos = bucket.take(System.nanoTime(), perSecond, burst);
        if (waitNanos > 0) {
            long seconds = Math.max(1, (long) Math.ceil(waitNanos / 1e9));
            throw new ProblemException(
                    429,
                    "Too Many Requests",
                    "rate_limited",
                    "Too many requests for this API key; retry after " + seconds + " s.",
                    Map.of("Retry-After", String.valueOf(seconds)));
        }
    }

    private static final class Bucket {
        private double tokens;
        private long updatedNanos = System.nanoTime();

        Bucket(int burst) {
            this.tokens = burst;
        }

        /** @return 0 when a token was taken, else the nanoseconds until one is there */
        synchronized long take(long now, double perSecond, int burst) {
            tokens = Math.min(burst, tokens + (now - updatedNanos) / 1e9 * perSecond);
            updatedNanos = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) ((1 - tokens) / perSecond * 1e9);
        }
    }
}
