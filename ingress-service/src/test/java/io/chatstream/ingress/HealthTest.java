package io.chatstream.ingress;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

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
    void readyWhenTheBrokerAnswers() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
