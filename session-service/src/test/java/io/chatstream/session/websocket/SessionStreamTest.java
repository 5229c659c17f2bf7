package io.chatstream.session.websocket;

import static io.chatstream.session.testing.Sessions.newMessageId;
import static io.chatstream.session.testing.Sessions.newSessionId;
import static io.chatstream.session.testing.Sessions.streamUri;
import static io.chatstream.session.testing.Sessions.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.contract.event.MessageIds;
import io.chatstream.contract.event.Usage;
import io.chatstream.localkafka.KafkaBrokerTestResource;
import io.chatstream.session.relay.EventReader;
import io.chatstream.session.relay.SessionRelay;
import io.chatstream.session.testing.EventProducer;
import io.chatstream.session.testing.StreamClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class SessionStreamTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    EventReader reader;

    @Inject
    SessionRelay relay;

    @BeforeEach
    void readerIsLive() {
        await().atMost(Duration.ofSeconds(30)).until(reader::caughtUp);
    }

    @Test
    void clientConnectedBeforeTheEventsGetsThemInOrderWithDistinctCursors() {
        String session = newSessionId();
        String message = newMessageId();
        try (StreamClient client = connect(session, "")) {
            EventProducer.send(whole(session, message));

            List<JsonNode> frames = client.awaitFrames(4);
            assertThat(frames)
                    .extracting(f -> f.get("type").asText())
                    .containsExactly(
                            MessageEvent.STARTED, MessageEvent.DELTA, MessageEvent.DELTA, MessageEvent.COMPLETED);
            assertThat(frames).extracting(f -> f.get("seq").asLong()).containsExactly(0L, 1L, 2L, 3L);
            assertThat(frames)
                    .allSatisfy(f -> assertThat(f.get("messageId").asText()).isEqualTo(message));
            assertThat(frames)
                    .extracting(f -> f.get("cursor").asText())
                    .doesNotHaveDuplicates()
                    .allMatch(cursor -> cursor.matches("\\d+-\\d+"));
            assertThat(frames.get(3).get("text").asText()).isEqualTo("Hello");
        }
    }

    @Test
    void fromAMessageThatAlreadyCompletedDeliversItWholeAndThenLiveEvents() {
        String session = newSessionId();
        String earlier = newMessageId();
        String message = newMessageId();
        EventProducer.send(whole(session, earlier));
        EventProducer.send(whole(session, message));
        awaitBuffered(session, 8);

        try (StreamClient client = connect(session, "from=" + message)) {
            assertThat(types(client.awaitFrames(4), message))
                    .containsExactly(
                            MessageEvent.STARTED, MessageEvent.DELTA, MessageEvent.DELTA, MessageEvent.COMPLETED);
            String next = newMessageId();
            EventProducer.send(MessageEvent.started(session, next, "demo", "demo"));
            List<JsonNode> frames = client.awaitFrames(5);
            assertThat(frames).hasSize(5);
            assertThat(frames.get(4).get("messageId").asText()).isEqualTo(next);
        }
    }

    @Test
    void fromAMessageNotPublishedYetWaitsForItsStartAndSkipsEarlierMessages() {
        String session = newSessionId();
        String earlier = newMessageId();
        String message = newMessageId();
        EventProducer.send(MessageEvent.started(session, earlier, "demo", "demo"));

        try (StreamClient client = connect(session, "from=" + message)) {
            EventProducer.send(MessageEvent.delta(session, earlier, 1, "old"));
            EventProducer.send(MessageEvent.completed(session, earlier, 2, "old", null, null));
            EventProducer.send(whole(session, message));

            List<JsonNode> frames = client.awaitFrames(4);
            assertThat(frames).hasSize(4);
            assertThat(types(frames, message))
                    .containsExactly(
                            MessageEvent.STARTED, MessageEvent.DELTA, MessageEvent.DELTA, MessageEvent.COMPLETED);
        }
    }

    @Test
    void fromAMessageOlderThanTheReplayWindowGetsCursorExpired() {
        String session = newSessionId();
        String old = MessageIds.newId(Instant.now().minus(Duration.ofHours(1)));
        try (StreamClient client = connect(session, "from=" + old)) {
            JsonNode error = client.awaitFrames(1).get(0);
            assertThat(error.get("type").asText()).isEqualTo("stream.error");
            assertThat(error.get("code").asText()).isEqualTo("cursor_expired");
        }
    }

    @Test
    void twoClientsOfOneSessionGetIdenticalSequences() {
        String session = newSessionId();
        String message = newMessageId();
        try (StreamClient first = connect(session, "");
                StreamClient second = connect(session, "")) {
            EventProducer.send(whole(session, message));
            List<JsonNode> one = first.awaitFrames(4);
            List<JsonNode> two = second.awaitFrames(4);
            assertThat(one).hasSize(4).isEqualTo(two);
        }
    }

    @Test
    void clientWithoutCursorGetsTheAnswerInProgressFromItsStart() {
        String session = newSessionId();
        String finished = newMessageId();
        String message = newMessageId();
        EventProducer.send(whole(session, finished));
        EventProducer.send(
                MessageEvent.started(session, message, "demo", "demo"),
                MessageEvent.delta(session, message, 1, "Hel"),
                MessageEvent.delta(session, message, 2, "lo"));
        awaitBuffered(session, 7);

        try (StreamClient client = connect(session, "")) {
            assertThat(types(client.awaitFrames(3), message))
                    .containsExactly(MessageEvent.STARTED, MessageEvent.DELTA, MessageEvent.DELTA);
            EventProducer.send(MessageEvent.completed(session, message, 3, "Hello", null, null));
            List<JsonNode> frames = client.awaitFrames(4);
            assertThat(frames).hasSize(4);
            assertThat(types(frames, message)).endsWith(MessageEvent.COMPLETED);
        }
    }

    @Test
    void reconnectWithACursorGetsExactlyTheEventsAfterIt() {
        String session = newSessionId();
        String message = newMessageId();
        String cursor;
        try (StreamClient client = connect(session, "")) {
            EventProducer.send(
                    MessageEvent.started(session, message, "demo", "demo"),
                    MessageEvent.delta(session, message, 1, "Hel"));
            cursor = client.awaitFrames(2).get(1).get("cursor").asText();
        }
        EventProducer.send(
                MessageEvent.delta(session, message, 2, "lo"),
                MessageEvent.completed(session, message, 3, "Hello", null, null));
        awaitBuffered(session, 4);

        try (StreamClient client = connect(session, "cursor=" + cursor + "&from=" + message)) {
            client.awaitFrames(2);
            // A later event proves that nothing else (a duplicate) came in between.
            String next = newMessageId();
            EventProducer.send(MessageEvent.started(session, next, "demo", "demo"));
            List<JsonNode> frames = client.awaitFrames(3);
            assertThat(frames).extracting(f -> f.get("seq").asLong()).containsExactly(2L, 3L, 0L);
            assertThat(frames.get(2).get("messageId").asText()).isEqualTo(next);
        }
    }

    @Test
    void unknownCursorGetsCursorExpiredThenTheMessagesInProgress() {
        String session = newSessionId();
        String message = newMessageId();
        EventProducer.send(MessageEvent.started(session, message, "demo", "demo"));
        awaitBuffered(session, 1);

        try (StreamClient client = connect(session, "cursor=7-999999")) {
            List<JsonNode> frames = client.awaitFrames(2);
            assertThat(frames.get(0).get("type").asText()).isEqualTo("stream.error");
            assertThat(frames.get(0).get("code").asText()).isEqualTo("cursor_expired");
            assertThat(frames.get(1).get("type").asText()).isEqualTo(MessageEvent.STARTED);
        }
    }

    private StreamClient connect(String session, String query) {
        return StreamClient.connect(streamUri(base, session, token(session), query));
    }

    private void awaitBuffered(String session, int events) {
        await().atMost(Duration.ofSeconds(15)).until(() -> relay.bufferedEvents(session) >= events);
    }

    private static MessageEvent[] whole(String session, String message) {
        return new MessageEvent[] {
            MessageEvent.started(session, message, "demo", "demo"),
            MessageEvent.delta(session, message, 1, "Hel"),
            MessageEvent.delta(session, message, 2, "lo"),
            MessageEvent.completed(session, message, 3, "Hello", Map.of(), Usage.vendor(1, 2))
        };
    }

    private static List<String> types(List<JsonNode> frames, String message) {
        assertThat(frames)
                .allSatisfy(f -> assertThat(f.get("messageId").asText()).isEqualTo(message));
        return frames.stream().map(f -> f.get("type").asText()).toList();
    }
}
