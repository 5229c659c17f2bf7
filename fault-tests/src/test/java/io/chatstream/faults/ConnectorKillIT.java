package io.chatstream.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.testkit.ChildProcess;
import io.chatstream.testkit.IngressClient;
import io.chatstream.testkit.StreamClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The connector is killed ({@code kill -9}) in the middle of many streams and started again: every
 * message still ends exactly once, the ones it was streaming restarted after a
 * {@code message.reset} whose seq continues the earlier ones, and none is answered twice. Killed
 * again while it restarts them, those fail with {@code connector_restarted} instead of looping.
 */
@Order(60)
class ConnectorKillIT {

    private static FaultGateway cluster;
    private static IngressClient api;

    @BeforeAll
    static void start() throws Exception {
        cluster = FaultGateway.shared();
        api = cluster.api();
    }

    @Test
    void killedMidStreamsAndRestartedEveryMessageEndsOnce() throws Exception {
        int sessions = Scale.of(16, 100);
        List<String> sessionIds = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            sessionIds.add("kill-" + i + "-" + UUID.randomUUID());
        }
        // Three sessions are watched over WebSocket: the client must see exactly what Kafka has.
        List<StreamClient> watchers = new ArrayList<>();
        for (String session : sessionIds.subList(0, 3)) {
            watchers.add(new StreamClient(session, cluster.token(session))
                    .connect(cluster.sessions.get(0).port()));
        }
        Map<String, List<String>> perSession = new ConcurrentHashMap<>();
        Map<String, Instant> accepted = postTwoEach(sessionIds, perSession);
        List<String> first =
                sessionIds.stream().map(s -> perSession.get(s).get(0)).toList();

        await(
                () -> first.stream()
                                .filter(id -> cluster.events.of(id).size() >= 10)
                                .count()
                        >= sessions / 2,
                "half the answers streaming");
        long streaming = accepted.keySet().stream()
                .filter(id -> !cluster.events.of(id).isEmpty() && !cluster.events.ended(id))
                .count();
        Instant killed = Instant.now();
        cluster.connector.kill();
        cluster.connector.start().awaitReady(Duration.ofSeconds(120));
        Duration back = Duration.between(killed, Instant.now());

        boolean ended = cluster.events.awaitEnded(accepted.keySet(), Duration.ofSeconds(120));
        Verdict verdict = Verdict.of(cluster.events, accepted);
        long restarted = accepted.keySet().stream()
                .filter(id ->
                        cluster.events.of(id).stream().anyMatch(e -> e.type().equals("message.reset")))
                .count();
        int watchedOk = 0;
        for (int i = 0; i < watchers.size(); i++) {
            StreamClient watcher = watchers.get(i);
            List<String> ids = perSession.get(sessionIds.get(i));
            await(() -> watcher.ended(ids) || watcher.disconnected(), "the watcher to see its answers end");
            if (EventLog.expand(watcher.frames()).equals(cluster.events.expected(ids))) {
                watchedOk++;
            }
            watcher.drop();
        }
        Figures.row(
                "connector kill -9 mid-stream, restarted",
                verdict,
                streaming + " streaming at the kill, " + restarted
                        + " restarted after message.reset; connector back in "
                        + Figures.seconds(back) + "; " + watchedOk + "/" + watchers.size()
                        + " WebSocket watchers saw exactly Kafka's events");
        assertThat(ended).as("every message ended").isTrue();
        assertThat(verdict.problems()).isEmpty();
        assertThat(verdict.clean()).isTrue();
        assertThat(restarted).as("messages restarted after a reset").isPositive();
        assertThat(watchedOk).isEqualTo(watchers.size());
    }

    @Test
    void killedAgainWhileRestartingThemTheyFailWithConnectorRestarted() throws Exception {
        int sessions = Scale.of(8, 40);
        List<String> sessionIds = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            sessionIds.add("kill2-" + i + "-" + UUID.randomUUID());
        }
        Map<String, List<String>> perSession = new ConcurrentHashMap<>();
        Map<String, Instant> accepted = postTwoEach(sessionIds, perSession);
        List<String> first =
                sessionIds.stream().map(s -> perSession.get(s).get(0)).toList();

        await(() -> first.stream().allMatch(id -> cluster.events.of(id).size() >= 5), "every first answer streaming");
        cluster.connector.kill();
        cluster.connector.start().awaitReady(Duration.ofSeconds(120));
        // Killed again once the new instance is restarting them.
        await(
                () -> first.stream().anyMatch(id -> cluster.events.of(id).stream()
                        .anyMatch(e -> e.type().equals("message.reset"))),
                "the first restarts");
        ChildProcess.sleep(300);
        long restarting = first.stream()
                .filter(id -> !cluster.events.ended(id)
                        && cluster.events.of(id).stream().anyMatch(e -> e.type().equals("message.reset")))
                .count();
        cluster.connector.kill();
        cluster.connector.start().awaitReady(Duration.ofSeconds(120));

        boolean ended = cluster.events.awaitEnded(accepted.keySet(), Duration.ofSeconds(120));
        Verdict verdict = Verdict.of(cluster.events, accepted);
        Figures.row(
                "connector kill -9 twice (2nd while restarting)",
                verdict,
                restarting + " being restarted at the 2nd kill");
        assertThat(ended).as("every message ended").isTrue();
        assertThat(verdict.problems()).isEmpty();
        assertThat(verdict.clean()).isTrue();
        assertThat(verdict.outcomes()).containsKey("failed connector_restarted");
    }

    /** Two long answers per session (the second waits for the first), posted concurrently. */
    private static Map<String, Instant> postTwoEach(List<String> sessionIds, Map<String, List<String>> perSession)
            throws InterruptedException {
        Map<String, Instant> accepted = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (String session : sessionIds) {
            pool.execute(() -> {
                List<String> ids = new ArrayList<>();
                for (int m = 0; m < 2; m++) {
                    IngressClient.Answer answer = api.post(session, "long", "tell me a long story " + m);
                    assertThat(answer.status()).isEqualTo(202);
                    ids.add(answer.messageId());
                    accepted.put(answer.messageId(), answer.at());
                }
                perSession.put(session, ids);
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        assertThat(perSession).hasSize(sessionIds.size());
        return new LinkedHashMap<>(accepted);
    }

    static void await(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            ChildProcess.sleep(50);
        }
    }
}
