package io.chatstream.ingress;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.chatstream.localkafka.KafkaBrokerTestResource;
import io.chatstream.localpostgres.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(PostgresTestResource.class)
class HealthTest {

    @Test
    void readyWhenTheBrokerAndTheDatabaseAnswer() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Database connections health check"));
    }

    @Test
    void theConnectionPoolIsMetered() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("agroal_awaiting_count"));
    }
}
