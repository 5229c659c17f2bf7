package io.chatstream.ingress.demo;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.chatstream.contract.token.TokenKind;
import io.chatstream.localkafka.KafkaBrokerTestResource;
import io.chatstream.localpostgres.PostgresTestResource;
import io.chatstream.runtime.token.TokenSigner;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** On (the local run): the page is served, and its endpoint mints one session's tokens, never a key. */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(PostgresTestResource.class)
@TestProfile(DemoPageEnabledTest.Enabled.class)
class DemoPageEnabledTest {

    static final String KEY = "test-key-1";
    static final String OTHER_KEY = "test-key-2";
    static final TokenSigner SIGNER = new TokenSigner("test-stream-token-secret");

    public static class Enabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.ingress.demo-page.enabled", "true");
        }
    }

    private static ExtractableResponse<Response> create() {
        return given().post("/demo/sessions").then().statusCode(200).extract();
    }

    private static ExtractableResponse<Response> send(String bearer, String session) {
        return given().header("Authorization", "Bearer " + bearer)
                .contentType("application/json")
                .body("{\"bot\":\"demo\",\"text\":\"Hello\"}")
                .post("/v1/sessions/{s}/messages", session)
                .then()
                .extract();
    }

    @Test
    void thePageIsServedAndTheRootLeadsToIt() {
        given().redirects().follow(false).get("/").then().statusCode(302).header("Location", "/chat/");
        given().redirects().follow(false).get("/chat").then().statusCode(302).header("Location", "/chat/");
        given().get("/chat/")
                .then()
                .statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("chat.js"));
        for (String asset : new String[] {"chat.js", "chat.css", "transcript.js", "stream-connection.js"}) {
            given().get("/chat/" + asset).then().statusCode(200);
        }
    }

    @Test
    void aNewSessionComesWithItsTokensAndNoKey() throws Exception {
        ExtractableResponse<Response> session = create();
        String sessionId = session.path("sessionId");
        String streamToken = session.path("streamToken");
        assertThat(sessionId).matches("demo-[0-9a-v]{26}");
        assertThat(session.<String>path("streamUrl"))
                .isEqualTo("ws://127.0.0.1:8081/v1/sessions/" + sessionId + "/stream?token=" + streamToken);
        SIGNER.verify(streamToken, TokenKind.STREAM, sessionId);
        SIGNER.verify(session.path("clientToken"), TokenKind.CLIENT, sessionId);
        assertThat(session.asString()).doesNotContain(KEY).doesNotContain(OTHER_KEY);
        assertThat(create().<String>path("sessionId")).isNotEqualTo(sessionId);
    }

    @Test
    void theClientTokenActsOnItsOwnSessionOnly() {
        ExtractableResponse<Response> session = create();
        String sessionId = session.path("sessionId");
        String clientToken = session.path("clientToken");
        assertThat(send(clientToken, sessionId).statusCode()).isEqualTo(202);
        given().header("Authorization", "Bearer " + clientToken)
                .get("/v1/sessions/{s}/messages", sessionId)
                .then()
                .statusCode(200)
                .body("messages.size()", equalTo(1));
        // The demo's sessions belong to the first API key: the key sees them, the other does not.
        given().header("Authorization", "Bearer " + KEY)
                .get("/v1/sessions/{s}/messages", sessionId)
                .then()
                .statusCode(200);
        given().header("Authorization", "Bearer " + OTHER_KEY)
                .get("/v1/sessions/{s}/messages", sessionId)
                .then()
                .statusCode(404);
        // Nowhere else: not another session, not the key-only calls.
        assertThat(send(clientToken, create().path("sessionId")).statusCode()).isEqualTo(401);
        given().header("Authorization", "Bearer " + clientToken)
                .post("/v1/sessions/{s}/token", sessionId)
                .then()
                .statusCode(401);
        given().header("Authorization", "Bearer " + clientToken)
                .delete("/v1/sessions/{s}", sessionId)
                .then()
                .statusCode(401);
    }

    @Test
    void aDemoSessionGetsFreshTokensForReconnectsAndOtherTabs() throws Exception {
        String sessionId = create().path("sessionId");
        ExtractableResponse<Response> again = given().post("/demo/sessions/{s}/tokens", sessionId)
                .then()
                .statusCode(200)
                .extract();
        assertThat(again.<String>path("sessionId")).isEqualTo(sessionId);
        SIGNER.verify(again.path("streamToken"), TokenKind.STREAM, sessionId);
        assertThat(send(again.path("clientToken"), sessionId).statusCode()).isEqualTo(202);
    }

    @Test
    void onlySessionsTheDemoCreatedGetTokens() {
        // A session an API client made, even of the first key: not the demo's to hand out.
        String apiSession = "s-" + UUID.randomUUID();
        assertThat(send(KEY, apiSession).statusCode()).isEqualTo(202);
        given().post("/demo/sessions/{s}/tokens", apiSession).then().statusCode(404);
        // A well-formed demo id nobody created, and one the other key claimed.
        given().post("/demo/sessions/{s}/tokens", "demo-00000000000000000000000000")
                .then()
                .statusCode(404);
        String otherKeys = "demo-" + "1".repeat(26);
        assertThat(send(OTHER_KEY, otherKeys).statusCode()).isEqualTo(202);
        given().post("/demo/sessions/{s}/tokens", otherKeys).then().statusCode(404);
        // Nothing but the id's alphabet reaches the owners table.
        given().post("/demo/sessions/{s}/tokens", "demo-..").then().statusCode(404);
    }

    @Test
    void theEndpointIsNotPartOfThePublicApi() {
        given().get("/q/openapi").then().statusCode(200).body(not(containsString("/demo/")));
    }
}
