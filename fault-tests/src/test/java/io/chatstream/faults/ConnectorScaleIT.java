package io.chatstream.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.testkit.ChildProcess;
import io.chatstream.testkit.ServiceProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Three connector processes of one provider under a steady load of long answers ({@link
 * ScaleGateway}): one is stopped (SIGTERM) mid-stream, and a fourth is started mid-stream and then
 * stopped. Scale-in and scale-out are invisible to clients: every message completes, none is reset
 * or failed, none ends twice.
 */
@Order(80)
class ConnectorScaleIT {

    private static ScaleGateway scale;

    @BeforeAll
    static void start() {
        scale = ScaleGateway.shared();
    }

    @Test
    void aConnectorStoppedMidStreamLetsItsAnswersFinish() throws Exception {
        ServiceProcess stopped = scale.connectors().get(1);
        Map<String, Instant> accepted = scale.underLoad(Duration.ofSeconds(Scale.of(12, 60)), () -> {
            ChildProcess.sleep(4_000);
            Instant at = Instant.now();
            stopped.stop();
            Figures.note(
                    "connector SIGTERM (1 of 3) under load",
                    "stopped in " + Figures.seconds(Duration.between(at, Instant.now())));
        });
        assertCompletedWithoutRestart(
                scale.assertEveryMessageEndedOnce("connector SIGTERM (1 of 3) under load", accepted, ""));
        stopped.start().awaitReady(Duration.ofSeconds(120));
    }

    @Test
    void aFourthConnectorStartedAndStoppedMidStreamChangesNothingForClients() throws Exception {
        ServiceProcess fourth = scale.connectors()
                .get(0)
                .sibling("connector-4", Map.of("GATEWAY_CONNECTOR_INSTANCE_ID", "connector-4"));
        try {
            Map<String, Instant> accepted = scale.underLoad(Duration.ofSeconds(Scale.of(20, 90)), () -> {
                ChildProcess.sleep(3_000);
                fourth.start().awaitReady(Duration.ofSeconds(120));
                ChildProcess.sleep(4_000);
                fourth.stop();
            });
            assertCompletedWithoutRestart(scale.assertEveryMessageEndedOnce(
                    "connector scale-out to 4 then in to 3 under load", accepted, ""));
        } finally {
            fourth.close();
        }
    }

    private static void assertCompletedWithoutRestart(Verdict verdict) {
        assertThat(verdict.resets()).as("messages restarted").isZero();
        assertThat(verdict.outcomes()).as("outcomes").containsOnlyKeys("completed");
    }
}
