package io.chatstream.ingress.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatstream.ingress.problem.ProblemException;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    @Test
    void aBurstPassesThenA429WithRetryAfter() {
        RateLimiter limiter = new RateLimiter(0.5, 3);
        for (int i = 0; i < 3; i++) {
            limiter.acquire("k-a");
        }
        assertThatThrownBy(() -> limiter.acquire("k-a")).isInstanceOfSatisfying(ProblemException.class, e -> {
            assertThat(e.problem().status()).isEqualTo(429);
            assertThat(e.problem().code()).isEqualTo("rate_limited");
            // One token every 2 s: the client is told to wait 2 s, not 1, not 60.
            assertThat(e.headers()).containsEntry("Retry-After", "2");
        });
    }

    @Test
    void keysHaveTheirOwnBuckets() {
        RateLimiter limiter = new RateLimiter(0.5, 1);
        limiter.acquire("k-a");
        limiter.acquire("k-b");
        assertThatThrownBy(() -> limiter.acquire("k-a")).isInstanceOf(ProblemException.class);
    }

    @Test
    void tokensComeBackWithTime() throws InterruptedException {
        RateLimiter limiter = new RateLimiter(50, 1);
        limiter.acquire("k-a");
        Thread.sleep(60);
        limiter.acquire("k-a");
    }
}
