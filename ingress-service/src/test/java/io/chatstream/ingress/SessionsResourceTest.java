package io.chatstream.ingress;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.chatstream.contract.CloudEventHeaders;
import io.chatstream.contract.CloudEventRecords;
import io.chatstream.contract.event.CancelCommandEvent;
import io.chatstream.contract.event.EventJson;
import io.chatstream.contract.event.HistoryRecord;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.contract.event.Usage;
import io.chatstream.localkafka.KafkaBrokerTestResource;
import io.chatstream.localpostgres.LocalPostgres;
import io.chatstream.localpostgres.PostgresTestResource;
import io.chatstream.store.Messages;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** History, cancel and forget, with the connector's part played by writing its outcome to the database. */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(PostgresTestResource.class)
class SessionsResourceTest {

    private static final String KEY = MessagesResourceTest.KEY;

    private static String send(String session, String text) {
        return MessagesResourceTest.post(KEY, session, "{\"bot\":\"demo\",\"text\":\"" + text + "\"}")
                .path("messageId");
    }

    private static io.restassured.response.ValidatableResponse messages(String key, String session) {
        return given().header("Authorization", "Bearer " + key)
                .get("/v1/sessions/{s}/messages", session)
                .then();
    }

    private static int cancel(String session, String messageId) {
        return given().header("Authorization", "Bearer " + KEY)
                .post("/v1/sessions/{s}/messages/{m}/cancel", session, messageId)
                .then()
                .extract()
                .statusCode();
    }

    /** What the connector writes when a message ends. */
    private static void connectorEnds(String session, String messageId, String question, String answer)
            throws Exception {
        MessageEvent.Completed completed =
                MessageEvent.completed(session, messageId, 3, answer, null, Usage.vendor(2, 2));
        HistoryRecord record = HistoryRecord.ended("demo", "demo", question, Instant.now(), completed);
        LocalPostgres database = PostgresTestResource.server();
        try (Connection connection =
                DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password())) {
            assertThat(Messages.end(connection, record)).isTrue();
        }
    }

    @Test
    void aRetryOfAnEndedMessageGetsTheSameAnswerAndWritesNoSecondRequest() throws Exception {
        String session = MessagesResourceTest.newSession();
        String body = "{\"bot\":\"demo\",\"text\":\"only once\"}";
        String first = idempotent(session, body);
        connectorEnds(session, first, "only once", "done");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> messages(KEY, session).body("messages[0].status", equalTo("completed")));

        // A connector restarted since would answer a request written again: none is.
        assertThat(idempotent(session, body)).isEqualTo(first);
        String marker = send(session, "after the retry");
        assertThat(RequestTopicReader.recordsOf("demo", session, 2))
                .extracting(r -> EventJson.decode(r.value(), io.chatstream.contract.event.ChatRequestEvent.class)
                        .messageId())
                .containsExactly(first, marker);
    }

    private static String idempotent(String session, String body) {
        return given().header("Authorization", "Bearer " + KEY)
                .header("Idempotency-Key", "retry-key")
                .contentType("application/json")
                .body(body)
                .post("/v1/sessions/{s}/messages", session)
                .then()
                .statusCode(202)
                .extract()
                .path("messageId");
    }

    @Test
    void historyShowsQuestionsPendingThenTheirOutcome() throws Exception {
        String session = MessagesResourceTest.newSession();
        String first = send(session, "first");
        String second = send(session, "second");
        messages(KEY, session)
                .statusCode(200)
                .body("sessionId", equalTo(session))
                .body("messages.messageId", equalTo(List.of(first, second)))
                .body("messages.question", equalTo(List.of("first", "second")))
                .body("messages.status", equalTo(List.of("pending", "pending")));

        connectorEnds(session, first, "first", "the answer");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> messages(KEY, session).extract().path("messages[0].status"), "completed"::equals);
        messages(KEY, session)
                .body("messages[0].answer", equalTo("the answer"))
                .body("messages[0].usage.source", equalTo("vendor"))
                .body("messages[1].status", equalTo("pending"));
        messages(MessagesResourceTest.OTHER_KEY, session).statusCode(404);
    }

    @Test
    void cancelIs202WhilePending404WhenUnknownAnd409OnceEnded() throws Exception {
        String session = MessagesResourceTest.newSession();
        String messageId = send(session, "stop me");
        assertThat(cancel(session, messageId)).isEqualTo(202);
        assertThat(cancel(session, "no-such-message")).isEqualTo(404);

        List<ConsumerRecord<String, byte[]>> records = RequestTopicReader.recordsOf("demo", session, 2);
        ConsumerRecord<String, byte[]> cancelRecord = records.stream()
                .filter(r -> "chat.cancel".equals(CloudEventRecords.header(r.headers(), CloudEventHeaders.TYPE)))
                .findFirst()
                .orElseThrow();
        assertThat(EventJson.decode(cancelRecord.value(), CancelCommandEvent.class)
                        .messageId())
                .isEqualTo(messageId);
        // On the request's partition: keyed by the same stream key.
        assertThat(records).extracting(ConsumerRecord::key).containsOnly(cancelRecord.key());

        connectorEnds(session, messageId, "stop me", "partial");
        await().atMost(Duration.ofSeconds(10)).until(() -> cancel(session, messageId) == 409);
    }

    @Test
    void forgettingASessionDeletesItsHistoryAndOwner() {
        String session = MessagesResourceTest.newSession();
        send(session, "remember me?");
        // A client token may not forget a session; the API key may.
        String clientToken = given().header("Authorization", "Bearer " + KEY)
                .post("/v1/sessions/{s}/token", session)
                .then()
                .extract()
                .path("clientToken");
        given().header("Authorization", "Bearer " + clientToken)
                .delete("/v1/sessions/{s}", session)
                .then()
                .statusCode(401);
        given().header("Authorization", "Bearer " + KEY)
                .delete("/v1/sessions/{s}", session)
                .then()
                .statusCode(204);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> messages(KEY, session).extract().statusCode() == 404);
        // The id is free again: its next user owns a new, empty session.
        String again = send(session, "new start");
        messages(KEY, session).statusCode(200).body("messages.messageId", equalTo(List.of(again)));
    }
}
