package io.chatstream.ingress;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.chatstream.localkafka.KafkaBrokerTestResource;
import io.chatstream.localpostgres.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every refusal is a problem detail with a stable code, and nothing reaches Kafka. */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(PostgresTestResource.class)
class MessageRefusalsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "malformed JSON           | {\"bot\":\"demo\",               | 400 | invalid_json",
                "not an object            | [1,2]                           | 400 | invalid_body",
                "no text                  | {\"bot\":\"demo\"}              | 400 | missing_text",
                "empty text               | {\"bot\":\"demo\",\"text\":\" \"} | 400 | invalid_text",
                "text not a string        | {\"bot\":\"demo\",\"text\":3}   | 400 | invalid_text",
                "a NUL in the text        | {\"bot\":\"demo\",\"text\":\"a\\u0000b\"} | 400 | invalid_text",
                "a lone high surrogate    | {\"bot\":\"demo\",\"text\":\"\\ud800 x\"} | 400 | invalid_text",
                "surrogates out of order  | {\"bot\":\"demo\",\"text\":\"\\udfff\\ud800\"} | 400 | invalid_text",
                "no bot                   | {\"text\":\"hi\"}               | 400 | missing_bot",
                "context not an object    | {\"bot\":\"demo\",\"text\":\"hi\",\"context\":7} | 400 | invalid_context",
                "unknown bot              | {\"bot\":\"nope\",\"text\":\"hi\"} | 404 | unknown_bot",
            })
    void aBadBodyIsRefused(String name, String body, int status, String code) {
        given().header("Authorization", "Bearer test-key-1")
                .contentType("application/json")
                .body(body)
                .post("/v1/sessions/refusals/messages")
                .then()
                .statusCode(status)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(status))
                .body("code", equalTo(code))
                .body("detail", notNullValue());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "no header   | ",
                "wrong key   | Bearer nope",
                "not bearer  | Basic dGVzdA==",
                "forged token| Bearer v1.eyJ9.AAAA",
            })
    void aMissingOrWrongKeyIs401(String name, String authorization) {
        var request = given().contentType("application/json").body("{\"bot\":\"demo\",\"text\":\"hi\"}");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        request.post("/v1/sessions/refusals/messages")
                .then()
                .statusCode(401)
                .contentType(startsWith("application/problem+json"))
                .body("code", equalTo("unauthorized"));
    }

    @org.junit.jupiter.api.Test
    void textOverTheLimitIs400() {
        String text = "é".repeat(32_001);
        given().header("Authorization", "Bearer test-key-1")
                .contentType("application/json")
                .body("{\"bot\":\"demo\",\"text\":\"" + text + "\"}")
                .post("/v1/sessions/refusals/messages")
                .then()
                .statusCode(400)
                .body("code", equalTo("text_too_long"));
    }

    @org.junit.jupiter.api.Test
    void aBodyOver1MiBIs413() {
        byte[] body = new byte[1024 * 1024 + 1];
        java.util.Arrays.fill(body, (byte) ' ');
        given().header("Authorization", "Bearer test-key-1")
                .contentType("application/json")
                .body(body)
                .post("/v1/sessions/refusals/messages")
                .then()
                .statusCode(413)
                .contentType(startsWith("application/problem+json"))
                .body("code", equalTo("body_too_large"));
    }

    @org.junit.jupiter.api.Test
    void aBadSessionIdIs400() {
        given().header("Authorization", "Bearer test-key-1")
                .contentType("application/json")
                .body("{\"bot\":\"demo\",\"text\":\"hi\"}")
                .post("/v1/sessions/{s}/messages", "bad session!")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_session_id"));
        given().header("Authorization", "Bearer test-key-1")
                .contentType("application/json")
                .body("{\"bot\":\"demo\",\"text\":\"hi\"}")
                .post("/v1/sessions/{s}/messages", "x".repeat(129))
                .then()
                .statusCode(400);
    }

    @org.junit.jupiter.api.Test
    void anUnknownPathIsAProblemToo() {
        given().get("/v1/nothing-here").then().statusCode(404).contentType(startsWith("application/problem+json"));
    }
}
