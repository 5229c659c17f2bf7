package io.chatstream.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.contract.TopicDefinitions;
import io.chatstream.contract.Topics;
import io.chatstream.testkit.ChildProcess;
import io.chatstream.testkit.CommitWatch;
import io.chatstream.testkit.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Crashes in the connectors' group while three connectors answer a steady load of long answers
 * ({@link ScaleGateway}), watched from outside by a {@link CommitWatch}: a member that takes
 * partitions and dies without committing, and two connectors killed ({@code kill -9}) one after the
 * other. Every message ends with exactly one terminal event, its seqs in Kafka order 0, 1, 2 …
 * (a restart is a {@code message.reset} that continues them), and no committed offset ever passes
 * a request whose terminal event is not on {@code chat.events}.
 */
@Order(81)
class ConnectorCrashIT {

    private static final String GROUP = "connector-" + ScaleGateway.PROVIDER;

    private static ScaleGateway scale;

    @BeforeAll
    static void start() {
        scale = ScaleGateway.shared();
    }

    @Test
    void aMemberThatTakesPartitionsAndDiesWithoutCommittingLosesNothing() throws Exception {
        Path log = FaultGateway.root().resolve("fault-tests/target/fault-logs/scale/intruder.log");
        ChildProcess intruder = new ChildProcess(
                "intruder",
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        GroupIntruder.class.getName(),
                        scale.cluster.bootstrapServers(),
                        Topics.requests(ScaleGateway.PROVIDER),
                        GROUP),
                Map.of(),
                log,
                Duration.ofSeconds(5));
        try (CommitWatch watch = scale.watchCommits()) {
            Map<String, Instant> accepted = scale.underLoad(Duration.ofSeconds(Scale.of(16, 60)), () -> {
                ChildProcess.sleep(3_000);
                intruder.start();
                // Given partitions once their streams ended on their owner, it reads requests of them.
                intruder.awaitLine("intruder read ", Duration.ofSeconds(60));
                ChildProcess.sleep(Scale.of(2_000, 10_000));
                intruder.kill();
            });
            awaitEndedThenCheckEverySample(accepted, watch);
            List<String> said = Files.readAllLines(log);
            String took = last(said, "intruder assigned ", "[]");
            int read = Integer.parseInt(last(said, "intruder read ", "0"));
            Verdict verdict = scale.assertEveryMessageEndedOnce(
                    "group member takes partitions, reads, dies (kill -9, no commit), 3 connectors under load",
                    accepted,
                    "intruder assigned " + took.replace("chat.requests.", "") + ", read " + read + " requests; "
                            + watch.summary());
            assertThat(read).as("requests the intruder read").isPositive();
            assertThat(verdict.resets()).as("messages restarted").isZero();
            assertThat(verdict.outcomes()).as("outcomes").containsOnlyKeys("completed");
            assertCommitsNeverPassedAnUnfinishedRequest(watch);
        } finally {
            intruder.kill();
        }
    }

    @Test
    void twoConnectorsKilledOneAfterTheOtherEveryMessageEndsOnceWithSeqsOnlyGoingUp() throws Exception {
        ServiceProcess first = scale.connectors().get(0);
        ServiceProcess second = scale.connectors().get(2);
        StringBuilder steps = new StringBuilder();
        try (CommitWatch watch = scale.watchCommits();
                Admin admin = Admin.create(
                        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, scale.cluster.bootstrapServers()))) {
            Map<String, Instant> accepted = scale.underLoad(Duration.ofSeconds(Scale.of(20, 60)), () -> {
                ChildProcess.sleep(3_000);
                first.kill();
                steps.append("1st rebalanced ").append(Figures.seconds(awaitRebalancedWithout(admin, "connector-1")));
                ChildProcess.sleep(2_000);
                second.kill();
                steps.append(", 2nd ").append(Figures.seconds(awaitRebalancedWithout(admin, "connector-3")));
                steps.append(" after its kill");
                ChildProcess.sleep(Scale.of(2_000, 20_000));
            });
            awaitEndedThenCheckEverySample(accepted, watch);
            Verdict verdict = scale.assertEveryMessageEndedOnce(
                    "connector kill -9, group rebalanced, another kill -9 (3 → 1 under load)",
                    accepted,
                    steps + "; " + watch.summary());
            assertThat(accepted.keySet())
                    .as("messages whose seqs in Kafka order are not 0, 1, 2 …")
                    .allMatch(id -> seqsCount(scale.events.of(id)));
            assertThat(verdict.resets()).as("messages restarted after a kill").isPositive();
            assertCommitsNeverPassedAnUnfinishedRequest(watch);
        } finally {
            // Back to three for what runs next, under the same static ids.
            for (ServiceProcess connector : List.of(first, second)) {
                if (!connector.alive()) {
                    connector.start().awaitReady(Duration.ofSeconds(120));
                }
            }
        }
    }

    /** What follows {@code prefix} on the last line that starts with it, or {@code none}. */
    private static String last(List<String> lines, String prefix, String none) {
        return lines.stream()
                .filter(l -> l.startsWith(prefix))
                .reduce((a, b) -> b)
                .map(l -> l.substring(prefix.length()))
                .orElse(none);
    }

    /** The contract's seqs (docs/api.md): per message 0, 1, 2 … in Kafka order, a reset taking the next one. */
    private static boolean seqsCount(List<EventLog.Event> events) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).seq() != i) {
                return false;
            }
        }
        return true;
    }

    /** The commits are watched until the messages ended (their redelivery included), then every sample is checked. */
    private static void awaitEndedThenCheckEverySample(Map<String, Instant> accepted, CommitWatch watch) {
        scale.events.awaitEnded(accepted.keySet(), Duration.ofSeconds(120));
        watch.close();
    }

    private static void assertCommitsNeverPassedAnUnfinishedRequest(CommitWatch watch) {
        assertThat(watch.samples()).as("offset samples").isGreaterThan(20);
        assertThat(watch.violating())
                .as("requests committed past while unfinished")
                .isEmpty();
    }

    /** Waits until the group is stable without {@code instanceId}, every partition assigned; returns how long. */
    private static Duration awaitRebalancedWithout(Admin admin, String instanceId) {
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP))
                        .describedGroups()
                        .get(GROUP)
                        .get(5, TimeUnit.SECONDS);
                boolean gone = group.members().stream()
                        .noneMatch(m -> m.groupInstanceId().equals(Optional.of(instanceId)));
                int assigned = group.members().stream()
                        .mapToInt(m -> m.assignment().topicPartitions().size())
                        .sum();
                if (gone
                        && group.groupState() == GroupState.STABLE
                        && assigned == TopicDefinitions.REQUEST_PARTITIONS) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
            } catch (Exception e) {
                // the coordinator is busy with the rebalance: ask again
            }
            ChildProcess.sleep(100);
        }
        throw new AssertionError("the group did not rebalance without " + instanceId + " within 60 s");
    }
}
