package io.chatstream.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.testkit.IngressClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Thousands of generated malformed and hostile requests against the ingress, property-based: a
 * seeded generator ({@link HostileRequests}) combines bad paths, keys, headers and bodies, and
 * knows for each what the contract answers. The properties: no 5xx for any input, every 4xx is
 * {@code application/problem+json} (but 404/405 of paths no resource has, and 431 of headers the
 * HTTP server refuses before any resource), the limits answer what the contract says (400, 401, 404, 413),
 * and after it all the ingress is alive and a good message is still accepted and answered. A
 * failing case is printed with its seed, to be replayed with {@code -Dfaults.seed=…}.
 */
@Order(20)
class IngressFuzzIT {

    private static FaultGateway cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = FaultGateway.shared();
    }

    @Test
    void hostileRequestsNeverGet5xxAndLimitsHold() throws Exception {
        int cases = Scale.of(3000, 30000);
        long seed = Long.getLong("faults.seed", System.nanoTime());
        Random random = new Random(seed);
        List<HostileRequests.Case> generated = new ArrayList<>();
        for (int i = 0; i < cases; i++) {
            generated.add(HostileRequests.next(random, cluster.ingress.baseUrl()));
        }
        Map<String, Integer> statuses = new ConcurrentHashMap<>();
        List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failedCalls = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        long start = System.nanoTime();
        for (HostileRequests.Case c : generated) {
            pool.execute(() -> {
                try {
                    HttpResponse<byte[]> response =
                            IngressClient.HTTP.send(c.request(), HttpResponse.BodyHandlers.ofByteArray());
                    int status = response.statusCode();
                    statuses.merge(String.valueOf(status), 1, Integer::sum);
                    String type = response.headers().firstValue("content-type").orElse("");
                    if (status >= 500) {
                        violations.add(status + " for " + c);
                    } else if (c.expected() != null && !c.expected().contains(status)) {
                        violations.add(status + " (expected " + c.expected() + ") for " + c);
                    } else if (status >= 400
                            && status != 404
                            && status != 405
                            && status != 431
                            && !type.startsWith("application/problem+json")) {
                        violations.add(status + " with content-type " + type + " for " + c);
                    }
                } catch (IOException e) {
                    failedCalls.incrementAndGet();
                    statuses.merge("no answer", 1, Integer::sum);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(300, TimeUnit.SECONDS)).isTrue();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // Still alive and still answering properly.
        boolean alive = cluster.ingress.alive() && cluster.ingress.ready();
        IngressClient api = cluster.api();
        IngressClient.Answer good = api.post("after-fuzz-" + seed, "quick", "still there?");
        boolean answered =
                good.status() == 202 && cluster.events.awaitEnded(List.of(good.messageId()), Duration.ofSeconds(30));
        Figures.note(
                "bad input: " + cases + " generated hostile requests (seed " + seed + ")",
                "answers " + new TreeMap<>(statuses) + " in " + Figures.seconds(took) + "; 5xx: "
                        + violations.stream().filter(v -> v.startsWith("5")).count() + "; contract violations: "
                        + violations.size() + "; ingress alive and a good message answered after: "
                        + (alive && answered));
        if (!violations.isEmpty()) {
            System.out.println(
                    "  violations (seed " + seed + "): " + violations.subList(0, Math.min(15, violations.size())));
        }
        assertThat(violations).isEmpty();
        assertThat(failedCalls.get()).as("requests without an answer").isLessThanOrEqualTo(cases / 100);
        assertThat(alive).isTrue();
        assertThat(answered).isTrue();
    }

    /** For the generator: a request with a body of raw bytes. */
    static HttpRequest request(String url, String method, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        headers.forEach(builder::header);
        return builder.method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
