package io.chatstream.session.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chatstream.contract.Topics;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.localkafka.KafkaBrokerTestResource;
import io.chatstream.session.kafka.SessionKafkaClients;
import io.chatstream.session.metrics.SessionMetrics;
import io.chatstream.session.testing.EventProducer;
import io.chatstream.session.testing.Sessions;
import io.chatstream.session.tracing.DeliveryTracing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replays that memory cannot serve, on a real broker: a relay that keeps 3 events per session, so
 * that nearly every resume reads Kafka. Built by hand beside the application's; a Quarkus test
 * only to share its broker.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class KafkaResumeTest {

    private final String servers = KafkaBrokerTestResource.broker().bootstrapServers();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private CatchUpReaders readers;
    private SessionRelay relay;
    private EventReader reader;

    @BeforeEach
    void start() {
        SessionMetrics metrics = new SessionMetrics(registry);
        readers = new CatchUpReaders(2, Duration.ofSeconds(20), metrics, SessionKafkaClients.of(servers));
        relay = new SessionRelay(3, 64L << 20, Duration.ofMinutes(10), metrics, Clock.systemUTC(), readers::submit);
        DeliveryTracing tracing = new DeliveryTracing(OpenTelemetry.noop(), Duration.ofMinutes(10), 100);
        reader = new EventReader(relay, Duration.ofMinutes(10), SessionKafkaClients.of(servers), metrics, tracing);
        reader.start();
        await().atMost(Duration.ofSeconds(30)).until(reader::caughtUp);
    }

    @AfterEach
    void stop() {
        reader.stop();
        readers.stop();
    }

    @Test
    void oldCursorsAndLongMessagesInProgressAreReadBackFromKafkaWithoutGapOrDuplicate() {
        String session = Sessions.newSessionId();
        String message = Sessions.newMessageId();
        Recorder live = subscribe(session, new StreamStart.InProgress());
        EventProducer.send(MessageEvent.started(session, message, "demo", "demo"));
        for (int seq = 1; seq <= 20; seq++) {
            EventProducer.send(MessageEvent.delta(session, message, seq, "t" + seq + " "));
        }
        await().until(() -> live.frames.size() == 21);
        assertThat(relay.bufferedEvents(session)).isEqualTo(3);

        Recorder resumed = subscribe(session, new StreamStart.AfterCursor(live.cursorOf(2)));
        Recorder lateJoiner = subscribe(session, new StreamStart.InProgress());
        Recorder fromMessage = subscribe(session, new StreamStart.FromMessage(message));
        await().until(() -> resumed.frames.size() == 18 && lateJoiner.frames.size() == 21);
        EventProducer.send(MessageEvent.completed(session, message, 21, "whole", null, null));
        await().until(() -> live.frames.size() == 22);
        await().until(() -> resumed.frames.size() == 19 && lateJoiner.frames.size() == 22);

        assertThat(resumed.frames).isEqualTo(live.frames.subList(3, 22));
        assertThat(lateJoiner.frames).isEqualTo(live.frames);
        await().until(() -> fromMessage.frames.size() == 22);
        assertThat(fromMessage.frames).isEqualTo(live.frames);
        assertThat(registry.counter("gateway.session.replays.from.kafka").count())
                .isEqualTo(3);
        // Of the three, one was a cursor reconnect: its cursor was the session's, and Kafka served it
        // (counted once its catch-up handed over, on the catch-up reader's thread).
        await().untilAsserted(() -> assertThat(resumes("kafka", "served")).isEqualTo(1));
        assertThat(resumes("kafka", "cursor_expired")).isZero();
        assertThat(resumes("memory", "served")).isZero();
    }

    @Test
    void aCursorOfAnotherSessionOrDeletedByRetentionGetsCursorExpiredThenTheMessagesInProgress() throws Exception {
        String session = Sessions.newSessionId();
        String other = Sessions.newSessionId();
        String ended = Sessions.newMessageId();
        String open = Sessions.newMessageId();
        Recorder live = subscribe(session, new StreamStart.InProgress());
        Recorder stranger = subscribe(other, new StreamStart.InProgress());
        EventProducer.send(MessageEvent.started(other, Sessions.newMessageId(), "demo", "demo"));
        EventProducer.send(
                MessageEvent.started(session, ended, "demo", "demo"),
                MessageEvent.delta(session, ended, 1, "a"),
                MessageEvent.completed(session, ended, 2, "a", null, null));
        EventProducer.send(MessageEvent.started(session, open, "demo", "demo"));
        for (int seq = 1; seq <= 5; seq++) {
            EventProducer.send(MessageEvent.delta(session, open, seq, "b"));
        }
        await().until(() -> live.frames.size() == 9 && stranger.frames.size() == 1);
        String expired = "{\"type\":\"stream.error\",\"code\":\"cursor_expired\"}";

        // Another session's cursor never opens this session's stream.
        Recorder wrongSession = subscribe(session, new StreamStart.AfterCursor(stranger.cursorOf(0)));
        await().until(() -> wrongSession.frames.size() == 7);
        assertThat(wrongSession.frames.get(0)).isEqualTo(expired);
        assertThat(wrongSession.frames.subList(1, 7)).isEqualTo(live.frames.subList(3, 9));

        // Retention deletes the first message: its cursor can no longer be served.
        Cursor old = live.cursorOf(1);
        TopicPartition partition = new TopicPartition(Topics.EVENTS, old.partition());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            admin.deleteRecords(Map.of(
                            partition,
                            RecordsToDelete.beforeOffset(live.cursorOf(2).offset() + 1)))
                    .all()
                    .get();
        }
        Recorder tooOld = subscribe(session, new StreamStart.AfterCursor(old));
        await().until(() -> tooOld.frames.size() == 7);
        assertThat(tooOld.frames.get(0)).isEqualTo(expired);
        assertThat(tooOld.frames.subList(1, 7)).isEqualTo(live.frames.subList(3, 9));
        EventProducer.send(MessageEvent.delta(session, open, 6, "c"));
        await().until(() -> tooOld.frames.size() == 8);
        assertThat(tooOld.frames.get(7)).isEqualTo(live.frames.get(9));
        // Both cursors went to Kafka to be checked, and neither was this session's to serve.
        assertThat(resumes("kafka", "cursor_expired")).isEqualTo(2);
        assertThat(resumes("kafka", "served")).isZero();
    }

    private double resumes(String source, String result) {
        return registry.counter("gateway.session.resumes", "source", source, "result", result)
                .count();
    }

    private Recorder subscribe(String session, StreamStart start) {
        Recorder recorder = new Recorder();
        relay.subscribe(session, start, recorder);
        return recorder;
    }

    private static final class Recorder implements Subscriber {
        final List<String> frames = new CopyOnWriteArrayList<>();
        final List<Cursor> cursors = new CopyOnWriteArrayList<>();

        @Override
        public void deliver(RelayedEvent event) {
            frames.add(event.frame());
            cursors.add(event.cursor());
        }

        @Override
        public void close(int code, String reason) {
            frames.add("closed " + code);
        }

        Cursor cursorOf(int index) {
            return cursors.get(index);
        }
    }
}
