package io.chatstream.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatstream.contract.CloudEventHeaders;
import io.chatstream.contract.CloudEventRecords;
import io.chatstream.contract.Topics;
import io.chatstream.contract.event.EventJson;
import io.chatstream.contract.token.TokenKind;
import io.chatstream.runtime.token.TokenSigner;
import io.chatstream.testkit.GatewayCluster;
import io.chatstream.testkit.IngressClient;
import io.chatstream.testkit.StreamClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A user's message from the REST call, through Kafka and a vendor, to a WebSocket client: the
 * packaged services as separate processes on a real broker.
 */
class PipelineIT {

    private static GatewayCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = E2eGateway.start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static IngressClient.Answer post(String apiKey, String sessionId, String body) {
        return new IngressClient(cluster.ingress().baseUrl(), apiKey)
                .post(sessionId, body, null, Duration.ofSeconds(30));
    }

    /** Every bot the ingress lists (one per vendor, from the simulators' bots file) and one from env alone. */
    static List<String> bots() throws Exception {
        List<String> bots = new ArrayList<>();
        HttpResponse<String> listed = IngressClient.HTTP.send(
                HttpRequest.newBuilder(URI.create(cluster.ingress().baseUrl() + "/v1/bots"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        EventJson.mapper()
                .readTree(listed.body())
                .forEach(bot -> bots.add(bot.path("name").asText()));
        return bots;
    }

    @Test
    void everyVendorAnswersThroughTheWholePipe() throws Exception {
        List<String> bots = bots();
        assertThat(bots).contains("demo", "openai", "support", "chatbotkit", "chatbase", "aui", "snackprompt");
        for (String bot : bots) {
            if (!bot.equals("slow")) {
                anAnswerStreamsTokenByTokenToAWebSocket(bot);
            }
        }
    }

    @ParameterizedTest(name = "bot {0}")
    @ValueSource(strings = {"demo", "openai", "support"})
    void anAnswerStreamsTokenByTokenToAWebSocket(String bot) throws Exception {
        String session = "e2e-" + UUID.randomUUID();
        IngressClient.Answer accepted =
                post(E2eGateway.API_KEY, session, "{\"bot\":\"" + bot + "\",\"text\":\"Hello gateway\"}");
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.body().path("streamToken").asText()).isNotEmpty();

        try (StreamClient client = StreamClient.open(accepted.streamUrl())) {
            List<JsonNode> events = client.awaitMessage(accepted.messageId(), Duration.ofSeconds(30));
            assertWholeAnswer(events, bot);
        }
        // A second message of the session continues the vendor conversation (the contract tests
        // check what each vendor received; here: it streams whole through the same session).
        IngressClient.Answer second =
                post(E2eGateway.API_KEY, session, "{\"bot\":\"" + bot + "\",\"text\":\"And then?\"}");
        try (StreamClient client = StreamClient.open(second.streamUrl())) {
            assertWholeAnswer(client.awaitMessage(second.messageId(), Duration.ofSeconds(30)), bot);
        }
    }

    @Test
    void aClientConnectingAfterTheAnswerEndedStillGetsItWhole() throws Exception {
        String session = "e2e-late-" + UUID.randomUUID();
        IngressClient.Answer accepted = post(E2eGateway.API_KEY, session, "{\"bot\":\"demo\",\"text\":\"late\"}");
        List<JsonNode> first;
        try (StreamClient early = StreamClient.open(accepted.streamUrl())) {
            first = early.awaitMessage(accepted.messageId(), Duration.ofSeconds(30));
        }
        try (StreamClient late = StreamClient.open(accepted.streamUrl())) {
            assertThat(late.awaitMessage(accepted.messageId(), Duration.ofSeconds(10)))
                    .isEqualTo(first);
        }
    }

    @Test
    void anotherKeyOnTheSameIdGetsASessionOfItsOwnAndAWrongKeyNone() throws Exception {
        String session = "e2e-owned-" + UUID.randomUUID();
        IngressClient.Answer mine = post(E2eGateway.API_KEY, session, "{\"bot\":\"demo\",\"text\":\"mine\"}");
        assertThat(mine.status()).isEqualTo(202);
        IngressClient.Answer other = post(E2eGateway.OTHER_API_KEY, session, "{\"bot\":\"demo\",\"text\":\"yours\"}");
        assertThat(other.status()).isEqualTo(202);
        try (StreamClient theirs = StreamClient.open(other.streamUrl())) {
            assertThat(theirs.awaitMessage(other.messageId(), Duration.ofSeconds(30)))
                    .isNotEmpty();
            assertThat(theirs.framesOf(mine.messageId())).isEmpty();
        }
        assertThat(post("wrong", session, "{\"bot\":\"demo\",\"text\":\"x\"}").status())
                .isEqualTo(401);
        assertThat(post(E2eGateway.API_KEY, session, "{\"bot\":").status()).isEqualTo(400);
    }

    @Test
    void refusedStreamTokensCloseWith1008() throws Exception {
        String session = "e2e-tokens-" + UUID.randomUUID();
        IngressClient.Answer accepted = post(E2eGateway.API_KEY, session, "{\"bot\":\"demo\",\"text\":\"x\"}");
        String base = "ws://127.0.0.1:" + cluster.session().port() + "/v1/sessions/" + session + "/stream?token=";
        TokenSigner signer = new TokenSigner(E2eGateway.STREAM_TOKEN_SECRET);
        TokenSigner past = new TokenSigner(
                E2eGateway.STREAM_TOKEN_SECRET, Clock.fixed(Instant.now().minusSeconds(3600), ZoneOffset.UTC));
        List<String> refused = List.of(
                base + "v1.forged.token",
                base
                        + new TokenSigner("some-other-secret-0123456789")
                                .sign(TokenKind.STREAM, session, "k", Duration.ofMinutes(5)),
                base + past.sign(TokenKind.STREAM, session, "k", Duration.ofMinutes(5)),
                base + signer.sign(TokenKind.STREAM, "another-session", "k", Duration.ofMinutes(5)),
                "ws://127.0.0.1:" + cluster.session().port() + "/v1/sessions/" + session + "/stream");
        for (String url : refused) {
            try (StreamClient client = StreamClient.open(url)) {
                assertThat(client.awaitClose(Duration.ofSeconds(5))).as(url).isEqualTo(1008);
                assertThat(client.closeReason()).as(url).isNotBlank();
                assertThat(client.frames()).as(url).isEmpty();
            }
        }
        // The real token still works.
        try (StreamClient client = StreamClient.open(accepted.streamUrl())) {
            assertWholeAnswer(client.awaitMessage(accepted.messageId(), Duration.ofSeconds(30)), "demo");
        }
    }

    @Test
    void anIndependentKafkaClientSeesEveryEventWithItsCloudEventType() throws Exception {
        String session = "e2e-kafka-" + UUID.randomUUID();
        IngressClient.Answer accepted = post(E2eGateway.API_KEY, session, "{\"bot\":\"demo\",\"text\":\"analytics\"}");
        int expected;
        try (StreamClient client = StreamClient.open(accepted.streamUrl())) {
            expected = client.awaitMessage(accepted.messageId(), Duration.ofSeconds(30))
                    .size();
        }
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "e2e-analytics-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(Topics.EVENTS));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() != null
                            && session.equals(EventJson.mapper()
                                    .readTree(r.value())
                                    .path("sessionId")
                                    .asText())) {
                        records.add(r);
                    }
                }
            }
        }
        assertThat(records).hasSize(expected);
        // All on one key, the session's stream key: not the id, which another API key may use too.
        assertThat(records)
                .extracting(ConsumerRecord::key)
                .containsOnly(records.get(0).key());
        assertThat(records.get(0).key()).isNotEqualTo(session);
        for (ConsumerRecord<String, byte[]> record : records) {
            JsonNode value = EventJson.mapper().readTree(record.value());
            assertThat(CloudEventRecords.header(record.headers(), CloudEventHeaders.TYPE))
                    .isEqualTo(value.path("type").asText());
            assertThat(CloudEventRecords.header(record.headers(), CloudEventHeaders.ID))
                    .isNotBlank();
            assertThat(CloudEventRecords.header(record.headers(), CloudEventHeaders.SOURCE))
                    .isNotBlank();
            assertThat(CloudEventRecords.header(record.headers(), CloudEventHeaders.TIME))
                    .isNotBlank();
            assertThat(value.has("cursor"))
                    .as("the cursor is the session-service's, not on Kafka")
                    .isFalse();
        }
    }

    @Test
    void cancelStopsTheAnswerWithItsTextSoFarAndHistoryKeepsIt() throws Exception {
        String session = "e2e-cancel-" + UUID.randomUUID();
        IngressClient.Answer accepted = post(E2eGateway.API_KEY, session, "{\"bot\":\"slow\",\"text\":\"stop me\"}");
        try (StreamClient client = StreamClient.open(accepted.streamUrl())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (client.framesOf(accepted.messageId()).size() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(call("POST", session, "/messages/" + accepted.messageId() + "/cancel")
                            .statusCode())
                    .isEqualTo(202);
            List<JsonNode> events = client.awaitMessage(accepted.messageId(), Duration.ofSeconds(10));
            JsonNode last = events.get(events.size() - 1);
            assertThat(last.path("type").asText()).isEqualTo("message.cancelled");
            StringBuilder text = new StringBuilder();
            events.stream()
                    .filter(e -> e.path("type").asText().equals("message.delta"))
                    .forEach(e -> text.append(e.path("text").asText()));
            assertThat(last.path("text").asText()).isEqualTo(text.toString()).isNotEmpty();
            assertThat(events).filteredOn(StreamClient::isTerminal).hasSize(1);

            // History: the outcome and the partial answer; a second cancel is a conflict.
            JsonNode history = awaitHistory(session, "cancelled");
            assertThat(history.path("question").asText()).isEqualTo("stop me");
            assertThat(history.path("answer").asText()).isEqualTo(text.toString());
            assertThat(call("POST", session, "/messages/" + accepted.messageId() + "/cancel")
                            .statusCode())
                    .isEqualTo(409);
        }
    }

    @Test
    void historyKeepsTheWholeAnswerAndUsage() throws Exception {
        String session = "e2e-history-" + UUID.randomUUID();
        IngressClient.Answer accepted = post(E2eGateway.API_KEY, session, "{\"bot\":\"openai\",\"text\":\"remember\"}");
        String answer;
        try (StreamClient client = StreamClient.open(accepted.streamUrl())) {
            List<JsonNode> events = client.awaitMessage(accepted.messageId(), Duration.ofSeconds(30));
            answer = events.get(events.size() - 1).path("text").asText();
        }
        JsonNode history = awaitHistory(session, "completed");
        assertThat(history.path("messageId").asText()).isEqualTo(accepted.messageId());
        assertThat(history.path("answer").asText()).isEqualTo(answer);
        assertThat(history.path("usage").path("source").asText()).isEqualTo("vendor");
    }

    static HttpResponse<String> call(String method, String session, String path) throws Exception {
        return new IngressClient(cluster.ingress().baseUrl(), E2eGateway.API_KEY).call(method, session, path);
    }

    /** The session's first message once history has it with {@code status}. */
    static JsonNode awaitHistory(String session, String status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        JsonNode first = null;
        while (System.nanoTime() < deadline) {
            first = EventJson.mapper()
                    .readTree(call("GET", session, "/messages").body())
                    .path("messages")
                    .path(0);
            if (status.equals(first.path("status").asText())) {
                return first;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("history never showed " + status + ": " + first);
    }

    /** started, deltas, completed; seq 0, 1, 2 … without gaps; completed.text = the deltas. */
    static void assertWholeAnswer(List<JsonNode> events, String bot) {
        assertThat(events.get(0).path("type").asText()).isEqualTo("message.started");
        assertThat(events.get(0).path("bot").asText()).isEqualTo(bot);
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.path("type").asText())
                .as("bot %s ended with %s", bot, last)
                .isEqualTo("message.completed");
        List<JsonNode> deltas = events.subList(1, events.size() - 1);
        assertThat(deltas).isNotEmpty().allMatch(e -> e.path("type").asText().equals("message.delta"));
        StringBuilder text = new StringBuilder();
        deltas.forEach(d -> text.append(d.path("text").asText()));
        assertThat(last.path("text").asText()).isEqualTo(text.toString()).isNotBlank();
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).path("seq").asLong()).isEqualTo(i);
            assertThat(events.get(i).path("cursor").asText()).isNotBlank();
        }
        assertThat(events.stream().map(e -> e.path("cursor").asText()).distinct())
                .hasSize(events.size());
    }
}
