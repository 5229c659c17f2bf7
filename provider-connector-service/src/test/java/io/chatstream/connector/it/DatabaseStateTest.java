package io.chatstream.connector.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chatstream.contract.event.ChatRequestEvent;
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

    private static RequestsProducer requests;
    private static EventsCollector events;

    @BeforeEach
    void connect() {
        if (requests != null) {
            return;
        }
        requests = RequestsProducer.whenReady(WAIT);
        events = new EventsCollector(KafkaBrokerTestResource.broker().bootstrapServers());
    }

    @AfterAll
    static void close() throws InterruptedException {
        if (requests != null) {
            requests.close();
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
        requests.send(request.provider(), request);
    }
}
