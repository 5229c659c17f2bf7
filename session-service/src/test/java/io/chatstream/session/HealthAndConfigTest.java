package io.chatstream.session;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.chatstream.localkafka.KafkaBrokerTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class HealthAndConfigTest {

    @Test
    void readyOnceKafkaAnswersAndTheReaderCaughtUp() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("chat-events-reader")));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void metricsExposeConnectionsAndRelayedEvents() {
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("gateway_session_connections"))
                .body(containsString("gateway_session_events_relayed_total"));
    }

    @Test
    void startsAlongsideKeysOfOtherServices() {
        // These keys belong to the ingress and the connector; the shared ConfigMap carries them.
        var config = ConfigProvider.getConfig();
        assertThat(config.getValue("gateway.bots.x.provider", String.class)).isEqualTo("demo");
        assertThat(config.getValue("gateway.ingress.api-keys", String.class)).isEqualTo("a");
        given().get("/q/health/live").then().statusCode(200);
    }
}
