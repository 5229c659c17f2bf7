package io.chatstream.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.testkit.ChildProcess;
import io.chatstream.testkit.IngressClient;
import io.chatstream.testkit.ServiceProcess;
import io.chatstream.testkit.StreamClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * A session-service replica is killed ({@code kill -9}) while its clients watch answers stream:
 * each client notices the broken connection, reconnects to the other replica with its last cursor,
 * and ends with exactly the events Kafka holds, none missing, none twice.
 */
@Order(50)
class SessionReplicaKillIT {

    private static FaultGateway cluster;
    private static IngressClient api;

    @BeforeAll
    static void start() throws Exception {
        cluster = FaultGateway.shared();
        api = cluster.api();
    }

    @Test
    void clientsOfAKilledReplicaResumeOnTheOtherGapless() throws Exception {
        int clients = Scale.of(12, 60);
        ServiceProcess victim = cluster.sessions.get(1);
        ServiceProcess survivor = cluster.sessions.get(0);
        List<StreamClient> streams = new ArrayList<>();
        List<List<String>> messages = new ArrayList<>();
        Map<String, Instant> accepted = new LinkedHashMap<>();
        for (int i = 0; i < clients; i++) {
            String session = "replica-kill-" + i + "-" + UUID.randomUUID();
            streams.add(new StreamClient(session, cluster.token(session)).connect(victim.port()));
            List<String> ids = new ArrayList<>();
            for (int m = 0; m < 2; m++) {
                IngressClient.Answer answer = api.post(session, "long", "a story for a replica " + m);
                assertThat(answer.status()).isEqualTo(202);
                ids.add(answer.messageId());
                accepted.put(answer.messageId(), answer.at());
            }
            messages.add(ids);
        }
        ConnectorKillIT.await(
                () -> streams.stream().allMatch(s -> s.frames().size() > 10), "every client to get frames");

        victim.kill();
        Instant killed = Instant.now();
        int reconnects = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (StreamClient stream : streams) {
            while (!stream.disconnected() && System.nanoTime() < deadline) {
                ChildProcess.sleep(20);
            }
            assertThat(stream.disconnected()).as("a client noticed the kill").isTrue();
            stream.connect(survivor.port());
            reconnects++;
        }
        Duration noticed = Duration.between(killed, Instant.now());
        boolean ended = cluster.events.awaitEnded(accepted.keySet(), Duration.ofSeconds(90));
        int exact = 0;
        int missing = 0;
        int repeated = 0;
        for (int i = 0; i < clients; i++) {
            StreamClient stream = streams.get(i);
            List<String> ids = messages.get(i);
            ConnectorKillIT.await(() -> stream.ended(ids), "the client to see its answers end");
            List<String> got = EventLog.expand(stream.frames());
            List<String> want = cluster.events.expected(ids);
            if (got.equals(want)) {
                exact++;
            } else {
                missing += (int) want.stream().filter(e -> !got.contains(e)).count();
                repeated += got.size() - (int) got.stream().distinct().count();
            }
            stream.drop();
        }
        victim.start().awaitReady(Duration.ofSeconds(120));
        Verdict verdict = Verdict.of(cluster.events, accepted);
        Figures.row(
                "session-service replica kill -9",
                verdict,
                clients + " clients reconnected to the other replica with their cursor (all within "
                        + Figures.seconds(noticed) + "); " + exact + "/" + clients + " saw exactly Kafka's events; "
                        + missing + " events missing, " + repeated + " repeated");
        assertThat(ended).isTrue();
        assertThat(verdict.clean()).isTrue();
        assertThat(reconnects).isEqualTo(clients);
        assertThat(exact).isEqualTo(clients);
    }
}
