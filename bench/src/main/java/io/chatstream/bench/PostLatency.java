package io.chatstream.bench;

import io.chatstream.testkit.IngressClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * {@code POST}→{@code 202} under a closed loop: C clients, each with its own session, each sending
 * its next message as soon as the previous one was accepted (not answered: the answers queue per
 * session, as the API allows). Measured on the client's clock (JDK HttpClient, HTTP/1.1, one
 * blocking thread per client), every status but 202 counted as an error.
 */
final class PostLatency {

    /** One phase's figures; latencies in microseconds. */
    record Result(String name, int clients, long accepted, long errors, double seconds, Histogram histogram) {
        double perSecond() {
            return accepted / seconds;
        }

        String line() {
            return String.format(
                    "%-10s C=%-4d %7d accepted (%.0f/s), %d errors; 202 p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.1f ms",
                    name,
                    clients,
                    accepted,
                    perSecond(),
                    errors,
                    histogram.getValueAtPercentile(50) / 1000.0,
                    histogram.getValueAtPercentile(90) / 1000.0,
                    histogram.getValueAtPercentile(99) / 1000.0,
                    histogram.getMaxValue() / 1000.0);
        }
    }

    private final IngressClient client;
    private final String bot;
    private final String text;
    private final boolean idempotencyKeys;

    PostLatency(IngressClient client, String bot, String text, boolean idempotencyKeys) {
        this.client = client;
        this.bot = bot;
        this.text = text;
        this.idempotencyKeys = idempotencyKeys;
    }

    /**
     * Runs {@code clients} loops for {@code warmup} unrecorded, then {@code measured}; every client's
     * session is {@code <name>-<i>}, so its first message (which claims the session) is in the warm-up.
     */
    Result run(String name, int clients, Duration warmup, Duration measured) throws InterruptedException {
        Recorder recorder = new Recorder(3);
        AtomicLong errors = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        long start = System.nanoTime();
        long recordFrom = start + warmup.toNanos();
        long end = recordFrom + measured.toNanos();
        String body = "{\"bot\":\"" + bot + "\",\"text\":" + IngressClient.quote(text) + "}";
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            String session = name + "-" + i + "-" + UUID.randomUUID().toString().substring(0, 8);
            Thread thread = new Thread(
                    () -> {
                        while (true) {
                            long sent = System.nanoTime();
                            if (sent >= end) {
                                return;
                            }
                            String key = idempotencyKeys ? UUID.randomUUID().toString() : null;
                            IngressClient.Answer answer = client.post(session, body, key, Duration.ofSeconds(30));
                            if (sent < recordFrom) {
                                continue;
                            }
                            if (answer.status() == 202) {
                                recorder.recordValue(Math.max(1, answer.took().toNanos() / 1000));
                                accepted.incrementAndGet();
                            } else {
                                errors.incrementAndGet();
                            }
                        }
                    },
                    "post-" + i);
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = measured.toNanos() / 1e9;
        return new Result(name, clients, accepted.get(), errors.get(), seconds, recorder.getIntervalHistogram());
    }
}
