package io.chatstream.ingress;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.chatstream.contract.CloudEventHeaders;
import io.chatstream.contract.CloudEventRecords;
import io.chatstream.contract.event.ChatRequestEvent;
import io.chatstream.contract.event.EventJson;
import io.chatstream.contract.token.TokenKind;
import io.chatstream.localkafka.KafkaBrokerTestResource;
import io.chatstream.localpostgres.PostgresTestResource;
import io.chatstream.runtime.token.TokenSigner;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(PostgresTestResource.class)
class MessagesResourceTest {

    static final String KEY = "test-key-1";
    static final String OTHER_KEY = "test-key-2";

    static String newSession() {
        return "s-" + UUID.randomUUID();
    }

    static ExtractableResponse<Response> post(String key, String sessionId, String body) {
        return given().header("Authorization", "Bearer " + key)
                .contentType("application/json")
                .body(body)
                .post("/v1/sessions/{s}/messages", sessionId)
                .then()
                .extract();
    }

    @Test
    void anAcceptedMessageIsOnItsProvidersTopicKeyedByTheSessionsStreamKey() throws Exception {
        String session = newSession();
        ExtractableResponse<Response> accepted = post(KEY, session, "{\"bot\":\"demo\",\"text\":\"Hello\",\"x\":1}");
        assertThat(accepted.statusCode()).isEqualTo(202);
        String messageId = accepted.path("messageId");
        String streamToken = accepted.path("streamToken");
        assertThat(accepted.<String>path("sessionId")).isEqualTo(session);
        assertThat(accepted.<String>path("streamUrl"))
                .isEqualTo("ws://127.0.0.1:8081/v1/sessions/" + session + "/stream?token=" + streamToken + "&from="
                        + messageId);
        String streamKey = new TokenSigner("test-stream-token-secret")
                .verify(streamToken, TokenKind.STREAM, session)
                .streamKey();
        assertThat(streamKey).isNotBlank().isNotEqualTo(session);

        List<ConsumerRecord<String, byte[]>> records = RequestTopicReader.recordsOf("demo", session, 1);
        assertThat(records).hasSize(1);
        ConsumerRecord<String, byte[]> record = records.get(0);
        assertThat(CloudEventRecords.header(record.headers(), CloudEventHeaders.TYPE))
                .isEqualTo("chat.request");
        assertThat(CloudEventRecords.header(record.headers(), CloudEventHeaders.ID))
                .isEqualTo(messageId);
        ChatRequestEvent request = EventJson.decode(record.value(), ChatRequestEvent.class);
        assertThat(request.messageId()).isEqualTo(messageId);
        assertThat(request.text()).isEqualTo("Hello");
        assertThat(request.bot()).isEqualTo("demo");
        assertThat(request.provider()).isEqualTo("demo");
        assertThat(request.streamKey()).isEqualTo(streamKey);
        assertThat(record.key()).isEqualTo(streamKey);
    }

    @Test
    void aSemicolonInTheSessionIdIsRefusedNotReadAsAMatrixParameter() {
        String session = newSession();
        ExtractableResponse<Response> refused = given().urlEncodingEnabled(false)
                .header("Authorization", "Bearer " + KEY)
                .contentType("application/json")
                .body("{\"bot\":\"demo\",\"text\":\"where?\"}")
                .post("/v1/sessions/" + session + ";other/messages")
                .then()
                .extract();
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.<String>path("code")).isEqualTo("invalid_path");
        // Nothing landed in the session the matrix parameter would have left.
        assertThat(post(KEY, session, "{\"bot\":\"demo\",\"text\":\"first\"}").statusCode())
                .isEqualTo(202);
        assertThat(RequestTopicReader.recordsOf("demo", session, 1))
                .extracting(
                        r -> EventJson.decode(r.value(), ChatRequestEvent.class).text())
                .containsExactly("first");
    }

    @Test
    void oneIdUnderTwoKeysIsTwoSessionsThatNeverMeet() throws Exception {
        String session = newSession();
        ExtractableResponse<Response> mine = post(KEY, session, "{\"bot\":\"demo\",\"text\":\"mine\"}");
        assertThat(mine.statusCode()).isEqualTo(202);
        // Another key using the same id is answered as if nobody had: no 404 tells it the id is taken.
        ExtractableResponse<Response> theirs = post(OTHER_KEY, session, "{\"bot\":\"demo\",\"text\":\"theirs\"}");
        assertThat(theirs.statusCode()).isEqualTo(202);
        TokenSigner signer = new TokenSigner("test-stream-token-secret");
        assertThat(signer.verify(mine.path("streamToken"), TokenKind.STREAM, session)
                        .streamKey())
                .isNotEqualTo(signer.verify(theirs.path("streamToken"), TokenKind.STREAM, session)
                        .streamKey());

        List<String> myHistory = given().header("Authorization", "Bearer " + KEY)
                .get("/v1/sessions/{s}/messages", session)
                .then()
                .statusCode(200)
                .extract()
                .path("messages.question");
        assertThat(myHistory).containsExactly("mine");
        // Nor can it cancel the other key's message: in its own session there is no such message.
        given().header("Authorization", "Bearer " + OTHER_KEY)
                .post("/v1/sessions/{s}/messages/{m}/cancel", session, mine.<String>path("messageId"))
                .then()
                .statusCode(404)
                .body("code", equalTo("message_not_found"));
    }

    @Test
    void theSameIdempotencyKeyGivesTheSameMessageAndADifferentBodyA422() {
        String session = newSession();
        String body = "{\"bot\":\"demo\",\"text\":\"once\"}";
        String first = given().header("Authorization", "Bearer " + KEY)
                .header("Idempotency-Key", "k-1")
                .contentType("application/json")
                .body(body)
                .post("/v1/sessions/{s}/messages", session)
                .then()
                .statusCode(202)
                .extract()
                .path("messageId");
        String second = given().header("Authorization", "Bearer " + KEY)
                .header("Idempotency-Key", "k-1")
                .contentType("application/json")
                .body("{ \"text\": \"once\", \"bot\": \"demo\" }")
                .post("/v1/sessions/{s}/messages", session)
                .then()
                .statusCode(202)
                .extract()
                .path("messageId");
        assertThat(second).isEqualTo(first);
        given().header("Authorization", "Bearer " + KEY)
                .header("Idempotency-Key", "k-1")
                .contentType("application/json")
                .body("{\"bot\":\"demo\",\"text\":\"twice\"}")
                .post("/v1/sessions/{s}/messages", session)
                .then()
                .statusCode(422)
                .contentType(startsWith("application/problem+json"))
                .body("code", equalTo("idempotency_conflict"));
        // Every record written for the key carries the one messageId (the connector answers it once).
        assertThat(RequestTopicReader.recordsOf("demo", session, 2))
                .extracting(
                        r -> EventJson.decode(r.value(), ChatRequestEvent.class).messageId())
                .containsOnly(first);
    }

    @Test
    void aClientTokenActsOnItsOneSessionOnly() {
        String session = newSession();
        ExtractableResponse<Response> tokens = given().header("Authorization", "Bearer " + KEY)
                .post("/v1/sessions/{s}/token", session)
                .then()
                .statusCode(200)
                .extract();
        String clientToken = tokens.path("clientToken");
        assertThat(tokens.<String>path("streamUrl"))
                .startsWith("ws://127.0.0.1:8081/v1/sessions/" + session + "/stream?token=");
        assertThat(post(clientToken, session, "{\"bot\":\"demo\",\"text\":\"from a browser\"}")
                        .statusCode())
                .isEqualTo(202);
        assertThat(post(clientToken, newSession(), "{\"bot\":\"demo\",\"text\":\"elsewhere\"}")
                        .statusCode())
                .isEqualTo(401);
        // A client token cannot mint tokens, and a stream token is no client token.
        given().header("Authorization", "Bearer " + clientToken)
                .post("/v1/sessions/{s}/token", session)
                .then()
                .statusCode(401);
        assertThat(post(tokens.path("streamToken"), session, "{\"bot\":\"demo\",\"text\":\"x\"}")
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void theBotsAreListed() {
        given().get("/v1/bots")
                .then()
                .statusCode(200)
                .body("name", equalTo(List.of("demo", "openai")))
                .body("provider", equalTo(List.of("demo", "openai")));
    }
}
