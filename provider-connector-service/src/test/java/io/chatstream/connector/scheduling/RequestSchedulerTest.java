package io.chatstream.connector.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chatstream.connector.config.TestConfigs;
import io.chatstream.connector.conversation.RecordingHistory;
import io.chatstream.connector.stream.ConnectorMetrics;
import io.chatstream.connector.stream.EventSink;
import io.chatstream.connector.stream.MessageStreamer;
import io.chatstream.connector.stream.PriorAttempt;
import io.chatstream.contract.event.ChatRequestEvent;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.contract.event.Usage;
import io.chatstream.provider.ChatProvider;
import io.chatstream.provider.ProviderChunk;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ordering and limits, with a provider whose streams the test finishes by hand. */
class RequestSchedulerTest {

    private static Vertx vertx;

    private final Map<String, MultiEmitter<? super ProviderChunk>> open = new ConcurrentHashMap<>();
    private final List<MessageEvent> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger done = new AtomicInteger();
    private final ChatProvider provider = call -> Multi.createFrom().emitter(e -> open.put(call.messageId(), e));
    private final EventSink sink = (name, key, event) -> events.add(event);
    private final RecordingHistory history = new RecordingHistory();
    private final RequestScheduler scheduler = new RequestScheduler(
            "test",
            provider,
            TestConfigs.fromProperties(Map.of(
                            "gateway.bots.one.provider", "test",
                            "gateway.bots.one.max-concurrency", "1",
                            "gateway.bots.many.provider", "test"))
                    .bots(),
            new MessageStreamer(
                    vertx,
                    sink,
                    new ConnectorMetrics(new SimpleMeterRegistry()),
                    new io.chatstream.connector.conversation.MapConversations(),
                    history),
            new RecentMessages(100));

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close();
    }

    @Test
    void aSessionsMessagesStreamOneAtATimeInOrder() {
        submit("s1", "m1", "many");
        submit("s1", "m2", "many");
        submit("s2", "m3", "many");
        assertStreaming("m1", "m3"); // other sessions do not wait

        finish("m1");
        await().until(() -> open.containsKey("m2"));
        assertThat(done).hasValue(1);
        assertThat(scheduler.inFlight()).isEqualTo(2);
    }

    @Test
    void aBotAtItsConcurrencyLimitWaitsWithoutBlockingOtherBots() {
        submit("s1", "m1", "one");
        submit("s2", "m2", "one");
        submit("s3", "m3", "many");
        assertStreaming("m1", "m3");

        finish("m1");
        await().until(() -> open.containsKey("m2"));
    }

    @Test
    void aQueuedMessageCancelledIsStartedThenCancelledAndNeverStreams() {
        submit("s1", "m1", "many");
        submit("s1", "m2", "many");
        scheduler.cancel("m2");

        assertThat(types("m2")).containsExactly(MessageEvent.STARTED, MessageEvent.CANCELLED);
        finish("m1");
        await().until(() -> done.get() == 2);
        assertThat(open).doesNotContainKey("m2");
        assertThat(scheduler.inFlight()).isZero();
    }

    @Test
    void theSameMessageIdIsAnsweredOnceAndALateCancelIsIgnored() {
        submit("s1", "m1", "many");
        submit("s1", "m1", "many");
        assertThat(done).hasValue(1); // the duplicate is released at once
        finish("m1");
        await().until(() -> done.get() == 2);
        scheduler.cancel("m1");
        assertThat(types("m1")).containsExactly(MessageEvent.STARTED, MessageEvent.DELTA, MessageEvent.COMPLETED);
    }

    @Test
    void anUnknownBotIsFailedAtOnce() {
        submit("s1", "m1", "nosuchbot");
        assertThat(types("m1")).containsExactly(MessageEvent.STARTED, MessageEvent.FAILED);
        assertThat(done).hasValue(1);
    }

    @Test
    void aMessageAnEarlierConnectorStartedIsRestartedAfterAResetContinuingItsSeq() {
        scheduler.submit(
                request("s1", "m1", "many"),
                0,
                new PriorAttempt(4, 0, "some text", Optional.empty()),
                done::incrementAndGet);
        finish("m1");
        await().until(() -> done.get() == 1);

        assertThat(types("m1")).containsExactly(MessageEvent.RESET, MessageEvent.DELTA, MessageEvent.COMPLETED);
        assertThat(events.stream().map(MessageEvent::seq).toList()).containsExactly(5L, 6L, 7L);
        assertThat(events.get(2))
                .isInstanceOfSatisfying(MessageEvent.Completed.class, completed -> assertThat(completed.text())
                        .isEqualTo("answer"));
    }

    @Test
    void aMessageAnEarlierConnectorEndedIsNotAnsweredAgainButItsHistoryIsWritten() {
        MessageEvent.Completed completed = MessageEvent.completed("s1", "m1", 3, "done", null, Usage.none());
        scheduler.submit(
                request("s1", "m1", "many"),
                0,
                new PriorAttempt(3, 0, "done", Optional.of(completed)),
                done::incrementAndGet);

        assertThat(events).isEmpty();
        assertThat(open).isEmpty();
        assertThat(done).hasValue(1);
        assertThat(history.terminals).containsExactly(completed);
    }

    @Test
    void aMessageRestartedOnceAlreadyFailsWithConnectorRestarted() {
        scheduler.submit(
                request("s1", "m1", "many"),
                0,
                new PriorAttempt(9, 1, "so far", Optional.empty()),
                done::incrementAndGet);

        assertThat(open).isEmpty();
        assertThat(done).hasValue(1);
        assertThat(events).singleElement().isInstanceOfSatisfying(MessageEvent.Failed.class, failed -> {
            assertThat(failed.type()).isEqualTo(MessageEvent.FAILED);
            assertThat(failed.seq()).isEqualTo(10);
            assertThat(failed.text()).isEqualTo("so far");
            assertThat(failed.error().code()).isEqualTo("connector_restarted");
            assertThat(failed.error().retryable()).isTrue();
        });
    }

    @Test
    void aRestartingMessageCancelledBeforeItStreamsEndsAfterItsReset() {
        submit("s1", "m0", "many");
        scheduler.submit(
                request("s1", "m1", "many"), 0, new PriorAttempt(2, 0, "x", Optional.empty()), done::incrementAndGet);
        scheduler.cancel("m1");

        assertThat(types("m1")).containsExactly(MessageEvent.RESET, MessageEvent.CANCELLED);
        assertThat(events.stream()
                        .filter(e -> e.messageId().equals("m1"))
                        .map(MessageEvent::seq)
                        .toList())
                .containsExactly(3L, 4L);
    }

    private static ChatRequestEvent request(String session, String messageId, String bot) {
        return new ChatRequestEvent(session, messageId, bot, "test", "hi", null, "k", Instant.now());
    }

    private void submit(String session, String messageId, String bot) {
        scheduler.submit(
                new ChatRequestEvent(session, messageId, bot, "test", "hi", null, "k", Instant.now()),
                done::incrementAndGet);
    }

    /**
     * Exactly these messages' vendor calls are made, and stay so: calls are subscribed on an event
     * loop, so a call made by mistake would show up a moment later, not at once.
     */
    private void assertStreaming(String... messageIds) {
        await().until(() -> open.keySet().containsAll(List.of(messageIds)));
        await().during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(3))
                .until(() -> open.size() == messageIds.length);
    }

    private void finish(String messageId) {
        await().until(() -> open.containsKey(messageId));
        MultiEmitter<? super ProviderChunk> emitter = open.get(messageId);
        emitter.emit(new ProviderChunk.Delta("answer"));
        emitter.emit(ProviderChunk.Completion.of(Usage.none()));
        emitter.complete();
    }

    private List<String> types(String messageId) {
        return events.stream()
                .filter(e -> e.messageId().equals(messageId))
                .map(MessageEvent::type)
                .toList();
    }
}
