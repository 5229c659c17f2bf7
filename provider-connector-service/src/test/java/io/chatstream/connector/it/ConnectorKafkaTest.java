package io.chatstream.connector.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.chatstream.connector.it.EventsCollector.Received;
import io.chatstream.contract.CloudEventHeaders;
import io.chatstream.contract.CloudEventRecords;
import io.chatstream.contract.Topics;
import io.chatstream.contract.event.ChatRequestEvent;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.contract.event.MessageIds;
import io.chatstream.localkafka.KafkaBrokerTestResource;
import io.chatstream.localpostgres.PostgresTestResource;
import io.chatstream.simulator.common.ScriptedAnswer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The service end to end on a real broker: requests in, contract events out (and vendor
 * conversations in the database; {@link DatabaseStateTest}: the rest of what it writes there).
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OpenAiSimulatorResource.class)
class ConnectorKafkaTest {

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
    void aDemoRequestIsAnsweredWithContractEventsOnce() {
        String session = session();
        ChatRequestEvent request = request(session, "demo", "demo", "Hello there");
        send("demo", request);
        send("demo", request); // redelivered or re-sent by the ingress: answered once

        await().atMost(WAIT).until(() -> events.ended(request.messageId()));
        assertWellFormed(request, "demo");
        assertThat(events.events(request.messageId()).get(1))
                .isInstanceOfSatisfying(MessageEvent.Delta.class, delta -> assertThat(delta.text())
                        .isEqualTo("Echo:"));
        assertThat(events.of(request.messageId()))
                .allSatisfy(r -> assertThat(r.ceSource()).isEqualTo("/connector/demo"));
    }

    @Test
    void anOpenAiRequestStreamsTheVendorAnswer() {
        String session = session();
        ChatRequestEvent request = request(session, "openai", "openai", "Tell me about Kafka");
        send("openai", request);

        await().atMost(WAIT).until(() -> events.ended(request.messageId()));
        MessageEvent.Terminal completed = assertWellFormed(request, "openai");
        assertThat(completed.type()).isEqualTo(MessageEvent.COMPLETED);
        assertThat(completed.text()).isEqualTo(String.join("", ScriptedAnswer.tokens("Tell me about Kafka", 12)));
        assertThat(((MessageEvent.Completed) completed).usage().source()).isEqualTo("vendor");
    }

    @Test
    void aSecondMessageCarriesTheEarlierTurnsKeptInTheDatabase() {
        String session = session();
        ChatRequestEvent first = request(session, "openai", "openai", "first turn");
        ChatRequestEvent second = request(session, "openai", "openai", "second turn");
        GatewayState.accepted(first);
        GatewayState.accepted(second);
        send("openai", first);
        send("openai", second);
        await().atMost(WAIT).until(() -> events.ended(second.messageId()));
        String firstAnswer = assertWellFormed(first, "openai").text();

        var body = OpenAiSimulatorResource.simulator().receivedBodies().stream()
                .filter(b -> b.toString().contains("second turn"))
                .findFirst()
                .orElseThrow();
        assertThat(body.path("messages")).hasSize(3);
        assertThat(body.path("messages").get(0).path("content").asText()).isEqualTo("first turn");
        assertThat(body.path("messages").get(1).path("role").asText()).isEqualTo("assistant");
        assertThat(body.path("messages").get(1).path("content").asText()).isEqualTo(firstAnswer);
        assertThat(body.path("messages").get(2).path("content").asText()).isEqualTo("second turn");

        // And the conversation is in the database, for any connector instance.
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(GatewayState.conversationFor("openai", session, second.messageId()))
                        .hasValueSatisfying(json -> assertThat(json).contains("\"first turn\"", "\"second turn\"")));
    }

    @Test
    void theMessagesOfOneSessionAreAnsweredInOrderOneAtATime() {
        String session = session();
        ChatRequestEvent first = request(session, "demo", "demo", "first question");
        ChatRequestEvent second = request(session, "demo", "demo", "second question");
        send("demo", first);
        send("demo", second);

        await().atMost(WAIT).until(() -> events.ended(second.messageId()));
        assertWellFormed(first, "demo");
        assertWellFormed(second, "demo");
        long firstEnded = events.of(first.messageId())
                .get(events.of(first.messageId()).size() - 1)
                .offset();
        long secondStarted = events.of(second.messageId()).get(0).offset();
        assertThat(secondStarted).isGreaterThan(firstEnded);
    }

    @Test
    void aCancelEndsAStreamingMessageAndClosesTheVendorConnection() {
        String session = session();
        ChatRequestEvent request = request(session, "openai", "openai", "Long answer #sim:tokens=400 #sim:pace=50ms");
        send("openai", request);
        await().atMost(WAIT).until(() -> events.events(request.messageId()).size() >= 3);

        sendCancel("openai", request);

        await().atMost(WAIT).until(() -> events.ended(request.messageId()));
        MessageEvent.Terminal terminal = assertWellFormed(request, "openai");
        assertThat(terminal.type()).isEqualTo(MessageEvent.CANCELLED);
        assertThat(terminal.text()).isNotEmpty();
        await().atMost(WAIT).until(() -> OpenAiSimulatorResource.simulator().openStreams() == 0);
    }

    @Test
    void aCancelOfAQueuedMessageEndsItWithoutCallingTheVendor() {
        String session = session();
        ChatRequestEvent running = request(session, "openai", "openai", "Busy #sim:tokens=40 #sim:pace=50ms");
        ChatRequestEvent queued = request(session, "openai", "openai", "Queued");
        send("openai", running);
        send("openai", queued);
        await().atMost(WAIT).until(() -> events.events(running.messageId()).size() >= 2);

        sendCancel("openai", queued);

        await().atMost(WAIT).until(() -> events.ended(queued.messageId()));
        assertThat(events.events(queued.messageId()))
                .extracting(MessageEvent::type)
                .containsExactly(MessageEvent.STARTED, MessageEvent.CANCELLED);
        assertThat(events.events(queued.messageId()).get(1))
                .isInstanceOfSatisfying(MessageEvent.Cancelled.class, cancelled -> assertThat(cancelled.text())
                        .isEmpty());
        assertThat(events.ended(running.messageId())).isFalse();
        await().atMost(WAIT).until(() -> events.ended(running.messageId()));
        assertThat(assertWellFormed(running, "openai").type()).isEqualTo(MessageEvent.COMPLETED);
        sendCancel("openai", running); // after the end: no second terminal
    }

    @Test
    void aMalformedRecordIsSkippedAndTheNextRequestAnswered() {
        String session = session();
        requests.send(new ProducerRecord<>(
                Topics.requests("demo"),
                null,
                session,
                "{not json".getBytes(StandardCharsets.UTF_8),
                CloudEventRecords.headers(CloudEventHeaders.TYPE_REQUEST, "bad", "/test", Instant.now())));
        ChatRequestEvent request = request(session, "demo", "demo", "after the bad one");
        send("demo", request);

        await().atMost(WAIT).until(() -> events.ended(request.messageId()));
        assertThat(assertWellFormed(request, "demo").type()).isEqualTo(MessageEvent.COMPLETED);
    }

    @Test
    void anUnknownBotFailsItsMessage() {
        ChatRequestEvent request = request(session(), "nosuchbot", "demo", "hi");
        send("demo", request);

        await().atMost(WAIT).until(() -> events.ended(request.messageId()));
        assertThat(assertWellFormed(request, "demo"))
                .isInstanceOfSatisfying(
                        MessageEvent.Failed.class,
                        failed -> assertThat(failed.error().code()).isEqualTo("provider_error"));
    }

    @Test
    void metricsCountMessagesByOutcome() {
        ChatRequestEvent request = request(session(), "demo", "demo", "count me");
        send("demo", request);
        await().atMost(WAIT).until(() -> events.ended(request.messageId()));

        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(
                        containsString(
                                "gateway_connector_messages_total{bot=\"demo\",code=\"none\",outcome=\"completed\",provider=\"demo\"}"))
                .body(containsString("gateway_connector_streams_in_flight"));
    }

    /** started with bot and provider, gapless seq, one terminal last, text = deltas, key and ce_type right. */
    private static MessageEvent.Terminal assertWellFormed(ChatRequestEvent request, String provider) {
        List<Received> received = events.of(request.messageId());
        assertThat(received).isNotEmpty();
        assertThat(received.get(0).event().type()).isEqualTo(MessageEvent.STARTED);
        MessageEvent.Started started = (MessageEvent.Started) received.get(0).event();
        assertThat(started.bot()).isEqualTo(request.bot());
        assertThat(started.provider()).isEqualTo(provider);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < received.size(); i++) {
            Received r = received.get(i);
            assertThat(r.event().seq()).isEqualTo(i);
            assertThat(r.ceType()).isEqualTo(r.event().type());
            assertThat(r.ceId()).isEqualTo(request.messageId() + ":" + i);
            assertThat(r.key()).isEqualTo(request.sessionId());
            assertThat(r.event().sessionId()).isEqualTo(request.sessionId());
            assertThat(r.event().isTerminal()).isEqualTo(i == received.size() - 1);
            if (r.event() instanceof MessageEvent.Delta delta) {
                text.append(delta.text());
            }
        }
        MessageEvent.Terminal terminal =
                (MessageEvent.Terminal) received.get(received.size() - 1).event();
        assertThat(terminal.text()).isEqualTo(text.toString());
        return terminal;
    }

    private static String session() {
        return "s-" + UUID.randomUUID();
    }

    private static ChatRequestEvent request(String session, String bot, String provider, String text) {
        Instant now = Instant.now();
        return new ChatRequestEvent(session, MessageIds.newId(now), bot, provider, text, Map.of(), "k-test", now);
    }

    private static void send(String provider, ChatRequestEvent request) {
        requests.send(provider, request);
    }

    private static void sendCancel(String provider, ChatRequestEvent request) {
        requests.sendCancel(provider, request);
    }
}
