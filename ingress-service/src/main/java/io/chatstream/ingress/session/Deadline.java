package io.chatstream.ingress.session;

import io.chatstream.ingress.problem.ProblemException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The time one request may spend waiting on Kafka, across all its steps (owner claim, idempotency
 * claim, the request itself): past it, the client gets 503 and may retry.
 */
public final class Deadline {

    private final long deadlineNanos;

    private Deadline(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    public static Deadline in(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos());
    }

    public <T> T await(CompletableFuture<T> future) {
        long left = deadlineNanos - System.nanoTime();
        try {
            return future.get(Math.max(0, left), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw ProblemException.unavailable(
                    "Kafka did not acknowledge in time; nothing was accepted. Retry with the same Idempotency-Key.");
        } catch (ExecutionException e) {
            throw ProblemException.unavailable(
                    "Kafka cannot take the request now; nothing was accepted. Retry with the same Idempotency-Key.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.unavailable("Interrupted while waiting for Kafka.");
        }
    }
}
