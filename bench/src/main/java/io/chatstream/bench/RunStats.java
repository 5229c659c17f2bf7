package io.chatstream.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** The figures of one phase (one target, one scenario), recorded from any client thread. */
final class RunStats {

    /** Microseconds, up to an hour, 3 significant digits. */
    final Histogram tokenLatencyMicros = new ConcurrentHistogram(3_600_000_000L, 3);

    final Histogram firstTokenMicros = new ConcurrentHistogram(3_600_000_000L, 3);
    /** The gateway only: POST → 202 (the ingress's share of the time to first token). */
    final Histogram acceptedMicros = new ConcurrentHistogram(3_600_000_000L, 3);
    /**
     * Request sent → the vendor sending the first token (wall clocks of two processes, as for the
     * token latency): the time to first token minus the first token's own trip to the client. On
     * the gateway it splits the time to first token into "until the vendor answers" (ingress,
     * Kafka, connector, vendor) and "back to the client" (Kafka, session-service).
     */
    final Histogram vendorFirstSentMicros = new ConcurrentHistogram(3_600_000_000L, 3);

    final AtomicLong tokens = new AtomicLong();
    final AtomicLong messages = new AtomicLong();
    final AtomicLong incomplete = new AtomicLong();
    /** Negative latencies: clock trouble; counted, recorded as 0. */
    final AtomicLong negative = new AtomicLong();

    final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    private volatile boolean recording;

    void recording(boolean on) {
        recording = on;
    }

    void tokenLatency(long micros) {
        if (!recording) {
            return;
        }
        tokens.incrementAndGet();
        if (micros < 0) {
            negative.incrementAndGet();
            micros = 0;
        }
        tokenLatencyMicros.recordValue(micros);
    }

    void firstToken(long nanos) {
        if (recording) {
            firstTokenMicros.recordValue(Math.max(0, nanos / 1000));
        }
    }

    void vendorFirstSent(long micros) {
        if (recording) {
            vendorFirstSentMicros.recordValue(Math.max(0, micros));
        }
    }

    void accepted(long nanos) {
        if (recording) {
            acceptedMicros.recordValue(Math.max(0, nanos / 1000));
        }
    }

    void message(String failure) {
        if (!recording) {
            return;
        }
        messages.incrementAndGet();
        if (failure != null) {
            incomplete.incrementAndGet();
            failures.computeIfAbsent(failure.replaceAll("[0-9]+", "N"), k -> new AtomicLong())
                    .incrementAndGet();
        }
    }

    /** A request that failed outright (HTTP error, connection lost …). */
    void error(String what) {
        message(what);
    }
}
