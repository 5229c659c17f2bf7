package io.chatstream.ingress.demo;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import io.chatstream.localkafka.KafkaBrokerTestResource;
import io.chatstream.localpostgres.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Off by default: neither the page nor its token endpoint exists. */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(PostgresTestResource.class)
class DemoPageDisabledTest {

    @Test
    void theTokenEndpointDoesNotExist() {
        given().post("/demo/sessions").then().statusCode(404);
        given().post("/demo/sessions/demo-00000000000000000000000000/tokens")
                .then()
                .statusCode(404);
        given().header("Authorization", "Bearer " + "test-key-1")
                .post("/demo/sessions")
                .then()
                .statusCode(404);
    }

    @Test
    void thePageIsNotServed() {
        given().redirects().follow(false).get("/").then().statusCode(404);
        given().get("/chat").then().statusCode(404);
        given().get("/chat/").then().statusCode(404);
        given().get("/chat/index.html").then().statusCode(404);
        given().get("/chat/chat.js").then().statusCode(404);
    }

    @Test
    void theRestOfTheApiIsUntouched() {
        given().get("/v1/bots").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200).body(not(containsString("/demo/")));
    }
}
