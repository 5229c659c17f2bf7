package io.chatstream.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.testkit.ChildProcess;
import io.chatstream.testkit.IngressClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What a client does while something the ingress needs is down: {@code count} POSTs to bot
 * {@code quick}, each to its own session and with its own {@code Idempotency-Key}, all at once;
 * then, once it is back, each again with the same key until accepted. Request {@code n}'s text is
 * {@code <text> n}, so that the requests on Kafka can be counted by text.
 */
final class OutagePosts {

    /** The answers while down: how many of each status, and the slowest. */
    record Refusals(Map<Integer, Integer> statuses, Duration slowest) {}

    private final IngressClient api;
    private final String sessionPrefix;
    private final String text;
    private final int count;

    OutagePosts(IngressClient api, String sessionPrefix, String text, int count) {
        this.api = api;
        this.sessionPrefix = sessionPrefix;
        this.text = text;
        this.count = count;
    }

    /** Every POST at once (up to 8 in flight). */
    Refusals whileDown() {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(8, count));
        try {
            List<CompletableFuture<IngressClient.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                answers.add(CompletableFuture.supplyAsync(() -> post(n), pool));
            }
            Map<Integer, Integer> statuses = new HashMap<>();
            Duration slowest = Duration.ZERO;
            for (CompletableFuture<IngressClient.Answer> future : answers) {
                IngressClient.Answer answer = future.join();
                statuses.merge(answer.status(), 1, Integer::sum);
                slowest = answer.took().compareTo(slowest) > 0 ? answer.took() : slowest;
            }
            return new Refusals(statuses, slowest);
        } finally {
            pool.shutdown();
        }
    }

    /** Each POST again with its key until it is accepted (20 tries, a second apart): messageId → accepted at. */
    Map<String, Instant> retryUntilAccepted() {
        Map<String, Instant> accepted = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            IngressClient.Answer answer = null;
            for (int attempt = 0; attempt < 20; attempt++) {
                answer = post(i);
                if (answer.status() == 202) {
                    break;
                }
                ChildProcess.sleep(1000);
            }
            assertThat(answer.status()).as("retry after the outage").isEqualTo(202);
            accepted.put(answer.messageId(), answer.at());
        }
        return accepted;
    }

    /** The session of request {@code n}. */
    String session(int n) {
        return sessionPrefix + n;
    }

    private IngressClient.Answer post(int n) {
        return api.post(
                session(n),
                "{\"bot\":\"quick\",\"text\":\"" + text + " " + n + "\"}",
                session(n),
                Duration.ofSeconds(30));
    }
}
