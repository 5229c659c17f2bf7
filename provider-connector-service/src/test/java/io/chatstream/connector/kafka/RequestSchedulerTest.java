package io.chatstream.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chatstream.connector.config.TestConfigs;
import io.chatstream.connector.provider.ChatProvider;
import io.chatstream.connector.provider.ProviderChunk;
import io.chatstream.connector.stream.ConnectorMetrics;
import io.chatstream.connector.stream.EventSink;
import io.chatstream.connector.stream.MessageStreamer;
import io.chatstream.contract.event.ChatRequestEvent;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.contract.event.Usage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
    private final EventSink sink = (name, event) -> events.add(event);
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
                    new io.chatstream.connector.conversation.RecordingHistory()),
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
        assertThat(open).containsOnlyKeys("m1", "m3"); // other sessions do not wait

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
        assertThat(open).containsOnlyKeys("m1", "m3");

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

    private void submit(String session, String messageId, String bot) {
        scheduler.submit(
                new ChatRequestEvent(session, messageId, bot, "test", "hi", null, "k", Instant.now()),
                done::incrementAndGet);
    }

    private void finish(String messageId) {
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
