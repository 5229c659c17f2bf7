package io.chatstream.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One target under one scenario: open the sessions, one unrecorded warm-up answer per session
 * (connections, JIT), then every session asks in a closed loop for the scenario's duration while
 * everything is recorded, including each process's CPU time and peak memory.
 */
final class Phase {

    final Scenario scenario;
    final String target;
    final RunStats stats = new RunStats();
    final Map<String, Double> cpuSeconds = new LinkedHashMap<>();
    final Map<String, Long> peakBytes = new LinkedHashMap<>();
    /** The services' own view of this phase (the gateway only). */
    Map<String, ServerHistograms> server = Map.of();

    double elapsedSeconds;
    String error;

    private Phase(Scenario scenario, String target) {
        this.scenario = scenario;
        this.target = target;
    }

    static Phase failed(Scenario scenario, String target, String error) {
        Phase p = new Phase(scenario, target);
        p.error = error;
        return p;
    }

    static Phase run(Target target, Scenario s) throws Exception {
        Phase phase = new Phase(s, target.name());
        target.open(s.concurrency()).toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
        try {
            AtomicInteger messageNo = new AtomicInteger();
            loop(target, s, phase.stats, messageNo, 0);
            List<MeasuredProcess> processes = target.processes();
            Map<String, Double> before = new LinkedHashMap<>();
            for (MeasuredProcess p : processes) {
                ProcStats.resetPeak(p.pid());
                before.put(p.name(), ProcStats.cpuSeconds(p.pid()));
            }
            phase.server = target.serverHistograms();
            phase.server.values().forEach(ServerHistograms::start);
            phase.stats.recording(true);
            long start = System.nanoTime();
            loop(target, s, phase.stats, messageNo, s.duration().toNanos());
            phase.elapsedSeconds = (System.nanoTime() - start) / 1e9;
            phase.stats.recording(false);
            phase.server.values().forEach(ServerHistograms::stop);
            for (MeasuredProcess p : processes) {
                phase.cpuSeconds.put(p.name(), ProcStats.cpuSeconds(p.pid()) - before.get(p.name()));
                phase.peakBytes.put(p.name(), ProcStats.peakBytes(p.pid()));
            }
        } finally {
            target.close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
        }
        return phase;
    }

    /** Every session asks, one question after the other, until {@code nanos} passed (0: once each). */
    private static void loop(Target target, Scenario s, RunStats stats, AtomicInteger messageNo, long nanos)
            throws InterruptedException {
        CountDownLatch sessions = new CountDownLatch(s.concurrency());
        long deadline = System.nanoTime() + nanos;
        for (int i = 0; i < s.concurrency(); i++) {
            int session = i;
            Runnable[] next = new Runnable[1];
            next[0] = () ->
                    target.ask(session, s.question(session, messageNo.incrementAndGet()), s.tokens(), stats, () -> {
                        if (System.nanoTime() < deadline) {
                            next[0].run();
                        } else {
                            sessions.countDown();
                        }
                    });
            next[0].run();
        }
        if (!sessions.await(nanos / 1_000_000 + 300_000, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("sessions did not finish within their time");
        }
    }

    double tokensPerSecond() {
        return elapsedSeconds == 0 ? 0 : stats.tokens.get() / elapsedSeconds;
    }
}
