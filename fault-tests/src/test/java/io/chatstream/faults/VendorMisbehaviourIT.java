package io.chatstream.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.testkit.ChildProcess;
import io.chatstream.testkit.IngressClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Vendors that cut connections, stall, send garbage, huge frames, wrong encodings, or answer 429
 * to everything (the simulators' {@code #sim:} switches and the {@link HostileVendor}): every
 * message ends with exactly one terminal event carrying a contract error code, and the connector
 * has as many threads and as much heap after as before.
 */
@Order(10)
class VendorMisbehaviourIT {

    private static final Set<String> CODES = Set.of(
            "auth_failed",
            "rate_limited",
            "provider_unavailable",
            "provider_error",
            "provider_timeout",
            "incomplete",
            "protocol_error",
            "connector_restarted");

    /** A misbehaviour: which bot, what the message says, and how many of it run at once. */
    record Case(String bot, String text, int count) {}

    private static FaultGateway cluster;
    private static IngressClient api;

    @BeforeAll
    static void start() throws Exception {
        cluster = FaultGateway.shared();
        api = cluster.api();
    }

    @Test
    void everyMisbehavingStreamEndsClearlyAndNothingLeaks() throws Exception {
        int n = Scale.of(2, 10);
        List<Case> cases = new ArrayList<>();
        for (String bot : List.of("openai", "chatbase", "chatbotkit", "snackprompt", "aui", "lingoblocks")) {
            cases.add(new Case(bot, "#sim:cut-after=3", n));
            cases.add(new Case(bot, "#sim:stall-after=3", n));
            cases.add(new Case(bot, "#sim:malformed-after=3", n));
            cases.add(new Case(bot, "#sim:error-after=3", n));
            cases.add(new Case(bot, "#sim:status=500 #sim:retry-after=0", n));
            cases.add(new Case(bot, "#sim:split", n));
        }
        cases.add(new Case("openai", "#sim:status=401", n));
        cases.add(new Case("openai", "#sim:status=429 #sim:retry-after=0", Scale.of(30, 200)));
        cases.add(new Case("chatbotkit", "#sim:status=429 #sim:retry-after=0", Scale.of(10, 50)));
        for (String kind : List.of("huge-line", "huge-delta", "flood", "latin1", "garbage", "drip")) {
            cases.add(new Case("hostile", "#hostile:" + kind, n));
        }

        // Every vendor once, so that the "before" counts include each provider's client pools.
        Map<String, Instant> warmUp = new ConcurrentHashMap<>();
        for (String bot :
                List.of("openai", "chatbase", "chatbotkit", "snackprompt", "aui", "lingoblocks", "hostile", "demo")) {
            IngressClient.Answer answer =
                    api.post("warm-" + UUID.randomUUID(), bot, bot.equals("hostile") ? "#hostile:flood" : "hello");
            warmUp.put(answer.messageId(), answer.at());
        }
        assertThat(cluster.events.awaitEnded(warmUp.keySet(), Duration.ofSeconds(60)))
                .isTrue();
        long heapBefore = ProcessFigures.heapAfterGc(cluster.connector);
        ProcessFigures before = ProcessFigures.of(cluster.connector);

        Map<String, Instant> accepted = new ConcurrentHashMap<>();
        Map<String, Case> caseOf = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (Case c : cases) {
            for (int i = 0; i < c.count(); i++) {
                int k = i;
                pool.execute(() -> {
                    IngressClient.Answer answer =
                            api.post("vendor-" + UUID.randomUUID(), c.bot(), "misbehave " + k + " " + c.text());
                    if (answer.status() == 202) {
                        accepted.put(answer.messageId(), answer.at());
                        caseOf.put(answer.messageId(), c);
                    }
                });
            }
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
        boolean ended = cluster.events.awaitEnded(accepted.keySet(), Duration.ofSeconds(120));
        ProcessFigures busy = ProcessFigures.of(cluster.connector);
        // Worker pools grow under load and shrink once idle (Quarkus: 30 s keep-alive): a leak is
        // what is still there after that.
        ProcessFigures after = busy;
        long settle = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (after.threads() > before.threads() + 8 && System.nanoTime() < settle) {
            ChildProcess.sleep(2000);
            after = ProcessFigures.of(cluster.connector);
        }
        long heapAfter = ProcessFigures.heapAfterGc(cluster.connector);

        Verdict verdict = Verdict.of(cluster.events, accepted);
        Map<String, Map<String, Integer>> byCase = new LinkedHashMap<>();
        List<String> unclear = new ArrayList<>();
        for (String id : accepted.keySet()) {
            Case c = caseOf.get(id);
            String outcome = cluster.events.of(id).stream()
                    .filter(e -> EventLog.isTerminal(e.type()))
                    .findFirst()
                    .map(e -> e.type().substring(8) + (e.errorCode() == null ? "" : " " + e.errorCode()))
                    .orElse("none");
            byCase.computeIfAbsent(c.bot() + " " + c.text(), k -> new java.util.TreeMap<>())
                    .merge(outcome, 1, Integer::sum);
            if (outcome.startsWith("failed") && !CODES.contains(outcome.substring(7))) {
                unclear.add(id + " " + outcome);
            }
        }
        byCase.forEach((c, outcomes) -> System.out.println("  vendor case " + c + " → " + outcomes));
        int expected = cases.stream().mapToInt(Case::count).sum();
        Figures.row(
                "vendors misbehaving (" + cases.size() + " kinds of 6 vendors and a hostile one)",
                verdict,
                "connector before: " + before + ", heap after GC " + heapBefore / (1024 * 1024) + " MiB; right after: "
                        + busy.threads() + " threads; settled: " + after + ", heap after GC "
                        + heapAfter / (1024 * 1024) + " MiB; connector alive: "
                        + cluster.connector.alive());
        writeCases(byCase);
        assertThat(accepted).hasSize(expected);
        assertThat(cluster.connector.alive()).isTrue();
        assertThat(ended).as("every message ended").isTrue();
        assertThat(verdict.problems()).isEmpty();
        assertThat(verdict.clean()).isTrue();
        assertThat(unclear).isEmpty();
        assertThat(after.threads()).as("threads after").isLessThanOrEqualTo(before.threads() + 8);
        assertThat(heapAfter).as("heap after GC").isLessThan(heapBefore + 48L * 1024 * 1024);
    }

    private static void writeCases(Map<String, Map<String, Integer>> byCase) {
        StringBuilder md = new StringBuilder("\n| vendor and switch | outcomes |\n|---|---|\n");
        byCase.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> md.append("| `")
                .append(e.getKey())
                .append("` | ")
                .append(e.getValue().toString().replace("{", "").replace("}", ""))
                .append(" |\n"));
        try {
            java.nio.file.Files.writeString(
                    FaultGateway.root().resolve("fault-tests/target/fault-vendor-cases.md"), md.toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
