package io.chatstream.connector.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.chatstream.contract.CloudEventHeaders;
import io.chatstream.contract.CloudEventRecords;
import io.chatstream.contract.Topics;
import io.chatstream.contract.event.ChatRequestEvent;
import io.chatstream.contract.event.EventJson;
import io.chatstream.contract.event.HistoryRecord;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.contract.event.MessageIds;
import io.chatstream.localkafka.KafkaBrokerTestResource;
import io.chatstream.localpostgres.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the connector writes to PostgreSQL after a message, the message row inserted {@code
 * pending} first as the ingress does: the outcome on it, and nothing at all once its session is
 * deleted (conversations: {@link ConnectorKafkaTest}).
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OpenAiSimulatorResource.class)
class DatabaseStateTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static KafkaProducer<String, byte[]> producer;
    private static EventsCollector events;

    @BeforeEach
    void connect() {
        if (producer != null) {
            return;
        }
        await().atMost(WAIT)
                .untilAsserted(() ->
                        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP")));
        String bootstrap = KafkaBrokerTestResource.broker().bootstrapServers();
        producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(),
                new ByteArraySerializer());
        events = new EventsCollector(bootstrap);
    }

    @AfterAll
    static void close() throws InterruptedException {
        if (producer != null) {
            producer.close();
            events.close();
        }
    }

    @Test
    void aMessagesHistoryRowGoesFromPendingToItsOutcome() {
        String session = session();
        ChatRequestEvent request = request(session, "Record me");
        GatewayState.accepted(request);
        assertThat(GatewayState.message(session, request.messageId()))
                .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(HistoryRecord.PENDING));
        send(request);

        MessageEvent.Completed completed = (MessageEvent.Completed) terminal(request);
        await().atMost(WAIT).untilAsserted(() -> assertThat(GatewayState.message(session, request.messageId()))
                .hasValueSatisfying(record -> {
                    assertThat(record.status()).isEqualTo("completed");
                    assertThat(record.question()).isEqualTo("Record me");
                    assertThat(record.answer()).isEqualTo(completed.text());
                    assertThat(record.usage()).isEqualTo(completed.usage());
                    assertThat(record.error()).isNull();
                    assertThat(record.endedAt()).isNotNull();
                }));
    }

    @Test
    void aSessionDeletedWhileItsMessageStreamsGetsNeitherItsOutcomeNorItsConversationBack() {
        String session = session();
        ChatRequestEvent request = request(session, "Outlive me #sim:tokens=40 #sim:pace=50ms");
        GatewayState.accepted(request);
        send(request);
        await().atMost(WAIT).until(() -> events.events(request.messageId()).size() >= 3);

        GatewayState.deleteSession(session);
        GatewayState.claim(session); // and its id used again: another session, which must stay empty
        assertThat(terminal(request).type()).isEqualTo(MessageEvent.COMPLETED);

        // The outcome and the conversation are written after the terminal event: a moment for them.
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5))
                .until(() -> GatewayState.message(session, request.messageId()).isEmpty()
                        && !GatewayState.anyConversation("openai", session));
    }

    private MessageEvent.Terminal terminal(ChatRequestEvent request) {
        await().atMost(WAIT).until(() -> events.ended(request.messageId()));
        var ofMessage = events.events(request.messageId());
        return (MessageEvent.Terminal) ofMessage.get(ofMessage.size() - 1);
    }

    private static String session() {
        return "s-" + UUID.randomUUID();
    }

    private static ChatRequestEvent request(String session, String text) {
        Instant now = Instant.now();
        return new ChatRequestEvent(
                session, MessageIds.newId(now), "openai", "openai", text, Map.of(), GatewayState.OWNER, now);
    }

    private static void send(ChatRequestEvent request) {
        producer.send(new ProducerRecord<>(
                Topics.requests(request.provider()),
                null,
                request.sessionId(),
                EventJson.encode(request),
                CloudEventRecords.headers(
                        CloudEventHeaders.TYPE_REQUEST, request.messageId(), "/test", Instant.now())));
        producer.flush();
    }
}
