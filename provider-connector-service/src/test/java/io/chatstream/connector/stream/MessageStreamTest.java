package io.chatstream.connector.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chatstream.connector.config.TestConfigs;
import io.chatstream.connector.conversation.Conversations;
import io.chatstream.connector.conversation.MapConversations;
import io.chatstream.connector.conversation.RecordingHistory;
import io.chatstream.contract.event.ErrorCode;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.contract.event.Usage;
import io.chatstream.provider.BotConfig;
import io.chatstream.provider.ChatProvider;
import io.chatstream.provider.Conversation;
import io.chatstream.provider.ProviderCall;
import io.chatstream.provider.ProviderChunk;
import io.chatstream.provider.ProviderChunk.Completion;
import io.chatstream.provider.ProviderChunk.Delta;
import io.chatstream.provider.ProviderException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Multi;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MessageStreamTest {

    private static Vertx vertx;
    private final RecordingSink sink = new RecordingSink();
    private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    private final ConnectorMetrics metrics = new ConnectorMetrics(new SimpleMeterRegistry());
    private final MapConversations conversations = new MapConversations();
    private final RecordingHistory history = new RecordingHistory();
    private final MessageStreamer streamer = streamer(conversations);

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close();
    }

    @Test
    void deltasThenCompletedWithTheirConcatenation() {
        run(call -> Multi.createFrom().items(new Delta("Hel"), new Delta("lo"), Completion.of(Usage.vendor(3, 2))));

        assertThat(sink.types())
                .containsExactly(MessageEvent.STARTED, MessageEvent.DELTA, MessageEvent.DELTA, MessageEvent.COMPLETED);
        assertThat(sink.terminal().text()).isEqualTo("Hello");
        assertThat(sink.terminal(MessageEvent.Completed.class).usage()).isEqualTo(Usage.vendor(3, 2));
        assertThat(sink.event(0, MessageEvent.Started.class).bot()).isEqualTo("bot");
        assertThat(sink.event(0, MessageEvent.Started.class).provider()).isEqualTo("test");
        assertThat(outcomes).containsExactly(Outcome.completed());
        assertThat(metrics.streamsInFlight()).isZero();
        assertThat(history.terminals).containsExactly(sink.terminal());
    }

    @Test
    void aFinalTextThatExtendsTheStreamedOneAddsTheMissingSuffix() {
        run(call -> Multi.createFrom().items(new Delta("Hel"), finalText("Hello!", Map.of("k", "v"))));

        assertThat(sink.types())
                .containsExactly(MessageEvent.STARTED, MessageEvent.DELTA, MessageEvent.DELTA, MessageEvent.COMPLETED);
        assertThat(sink.event(2, MessageEvent.Delta.class).text()).isEqualTo("lo!");
        assertThat(sink.terminal().text()).isEqualTo("Hello!");
        assertThat(sink.terminal(MessageEvent.Completed.class).data()).isEqualTo(Map.of("k", "v"));
    }

    @Test
    void aFinalTextThatDiffersResetsAndStreamsTheWholeText() {
        run(call -> Multi.createFrom().items(new Delta("Hallo"), finalText("Hello", Map.of())));

        assertThat(sink.types())
                .containsExactly(
                        MessageEvent.STARTED,
                        MessageEvent.DELTA,
                        MessageEvent.RESET,
                        MessageEvent.DELTA,
                        MessageEvent.COMPLETED);
        assertThat(sink.terminal().text()).isEqualTo("Hello");
        assertThat(sink.terminal(MessageEvent.Completed.class).data()).isNull();
    }

    @Test
    void anAnswerTooLongForOneKafkaRecordFailsWithTheTextSoFarInsteadOfNeverEnding() {
        String huge = "x".repeat(MessageEventWriter.MAX_ANSWER_CHARS);
        run(call -> Multi.createFrom().items(new Delta("ab"), new Delta(huge), Completion.of(Usage.none())));

        assertThat(sink.types()).containsExactly(MessageEvent.STARTED, MessageEvent.DELTA, MessageEvent.FAILED);
        assertThat(sink.terminal().text()).isEqualTo("ab");
        assertThat(sink.terminal(MessageEvent.Failed.class).error().code()).isEqualTo("provider_error");
        assertThat(outcomes).containsExactly(Outcome.failed(ErrorCode.PROVIDER_ERROR));
    }

    @Test
    void aRetryableFailureBeforeTheFirstDeltaIsRetried() {
        AtomicInteger calls = new AtomicInteger();
        run(call -> calls.incrementAndGet() < 3
                ? Multi.createFrom()
                        .failure(
                                new ProviderException(ErrorCode.RATE_LIMITED, "429", Optional.of(Duration.ofMillis(5))))
                : Multi.createFrom().items(new Delta("ok"), Completion.of(Usage.none())));

        assertThat(calls).hasValue(3);
        assertThat(sink.types()).containsExactly(MessageEvent.STARTED, MessageEvent.DELTA, MessageEvent.COMPLETED);
    }

    @Test
    void retriesStopAtMaxRetries() {
        AtomicInteger calls = new AtomicInteger();
        run(bot(Map.of("max-retries", "1")), call -> {
            calls.incrementAndGet();
            return Multi.createFrom().failure(new ProviderException(ErrorCode.PROVIDER_UNAVAILABLE, "503"));
        });

        assertThat(calls).hasValue(2);
        assertThat(sink.terminal(MessageEvent.Failed.class).error().code()).isEqualTo("provider_unavailable");
        assertThat(sink.terminal(MessageEvent.Failed.class).error().retryable()).isTrue();
        assertThat(outcomes).containsExactly(Outcome.failed(ErrorCode.PROVIDER_UNAVAILABLE));
    }

    @Test
    void aFailureAfterTheFirstDeltaIsFinal() {
        AtomicInteger calls = new AtomicInteger();
        run(call -> {
            calls.incrementAndGet();
            return Multi.createBy()
                    .concatenating()
                    .streams(
                            Multi.createFrom().item(new Delta("so far")),
                            Multi.createFrom().failure(new ProviderException(ErrorCode.INCOMPLETE, "cut")));
        });

        assertThat(calls).hasValue(1);
        MessageEvent.Failed failed = sink.terminal(MessageEvent.Failed.class);
        assertThat(failed.type()).isEqualTo(MessageEvent.FAILED);
        assertThat(failed.text()).isEqualTo("so far");
        assertThat(failed.error().code()).isEqualTo("incomplete");
    }

    @Test
    void aNonRetryableFailureIsNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        run(call -> {
            calls.incrementAndGet();
            return Multi.createFrom().failure(new ProviderException(ErrorCode.AUTH_FAILED, "401"));
        });

        assertThat(calls).hasValue(1);
        assertThat(sink.terminal(MessageEvent.Failed.class).error())
                .isEqualTo(ErrorCode.AUTH_FAILED.withMessage("401"));
    }

    @Test
    void aStreamEndingWithoutCompletionIsIncomplete() {
        run(bot(Map.of("max-retries", "0")), call -> Multi.createFrom().items(new Delta("a")));

        assertThat(sink.terminal(MessageEvent.Failed.class).error().code()).isEqualTo("incomplete");
        assertThat(sink.terminal().text()).isEqualTo("a");
    }

    @Test
    void anUnexpectedExceptionEndsInOneFailedEvent() {
        run(bot(Map.of("max-retries", "0")), call -> {
            throw new IllegalStateException("bug");
        });

        assertThat(sink.types()).containsExactly(MessageEvent.STARTED, MessageEvent.FAILED);
        assertThat(sink.terminal(MessageEvent.Failed.class).error().code()).isEqualTo("provider_error");
    }

    @Test
    void noFirstTokenInTimeIsATimeoutAndClosesTheUpstream() {
        AtomicBoolean closed = new AtomicBoolean();
        run(bot(Map.of("first-token-timeout", "100ms", "max-retries", "0")), call -> Multi.createFrom()
                .<ProviderChunk>nothing()
                .onCancellation()
                .invoke(() -> closed.set(true)));

        assertThat(sink.terminal(MessageEvent.Failed.class).error().code()).isEqualTo("provider_timeout");
        assertThat(closed).isTrue();
    }

    @Test
    void noNextTokenInTimeIsATimeoutWithTheTextSoFar() {
        AtomicBoolean closed = new AtomicBoolean();
        run(bot(Map.of("idle-timeout", "100ms")), call -> Multi.createBy()
                .concatenating()
                .streams(
                        Multi.createFrom().item(new Delta("x")),
                        Multi.createFrom().<ProviderChunk>nothing())
                .onCancellation()
                .invoke(() -> closed.set(true)));

        assertThat(sink.terminal(MessageEvent.Failed.class).error().code()).isEqualTo("provider_timeout");
        assertThat(sink.terminal().text()).isEqualTo("x");
        assertThat(closed).isTrue();
    }

    @Test
    void cancelEndsWithTheTextSoFarClosesTheUpstreamAndHappensOnce() {
        AtomicBoolean closed = new AtomicBoolean();
        MessageStream stream = streamer.prepare(
                call -> Multi.createBy()
                        .concatenating()
                        .streams(
                                Multi.createFrom().item(new Delta("part")),
                                Multi.createFrom().<ProviderChunk>nothing())
                        .onCancellation()
                        .invoke(() -> closed.set(true)),
                "test",
                call(bot(Map.of())),
                outcomes::add);
        stream.start();
        await().until(() -> sink.types().contains(MessageEvent.DELTA));
        stream.cancel();
        stream.cancel();

        assertThat(sink.types()).containsExactly(MessageEvent.STARTED, MessageEvent.DELTA, MessageEvent.CANCELLED);
        assertThat(sink.terminal().text()).isEqualTo("part");
        assertThat(closed).isTrue();
        assertThat(outcomes).containsExactly(Outcome.cancelled());
        sink.assertWellFormed();
    }

    @Test
    void cancelBeforeStartGivesStartedThenCancelledAndNeverCallsTheVendor() {
        AtomicInteger calls = new AtomicInteger();
        MessageStream stream = streamer.prepare(
                call -> {
                    calls.incrementAndGet();
                    return Multi.createFrom().empty();
                },
                "test",
                call(bot(Map.of())),
                outcomes::add);
        stream.cancel();
        stream.start();

        assertThat(sink.types()).containsExactly(MessageEvent.STARTED, MessageEvent.CANCELLED);
        assertThat(sink.terminal().text()).isEmpty();
        assertThat(calls).hasValue(0);
        sink.assertWellFormed();
    }

    @Test
    void aCancelWhileTheConversationIsReadEndsTheMessageOnceAndNeverCallsTheVendor() {
        CompletableFuture<Conversation> reading = new CompletableFuture<>();
        AtomicInteger calls = new AtomicInteger();
        MessageStream stream = streamer(reading(reading))
                .prepare(
                        call -> {
                            calls.incrementAndGet();
                            return Multi.createFrom().items(new Delta("late"), Completion.of(Usage.none()));
                        },
                        "test",
                        call(bot(Map.of())),
                        outcomes::add);
        stream.start();
        stream.cancel();
        reading.complete(Conversation.empty());

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(3)).until(() -> calls.get() == 0);
        assertThat(sink.types()).containsExactly(MessageEvent.STARTED, MessageEvent.CANCELLED);
        assertThat(outcomes).containsExactly(Outcome.cancelled());
        assertThat(metrics.streamsInFlight()).isZero();
        sink.assertWellFormed();
    }

    @Test
    void aConversationThatCannotBeReadFailsTheMessageRetryablyWithoutCallingTheVendor() {
        AtomicInteger calls = new AtomicInteger();
        MessageStream stream = streamer(
                        reading(CompletableFuture.failedFuture(new java.sql.SQLException("down", "08006"))))
                .prepare(
                        call -> {
                            calls.incrementAndGet();
                            return Multi.createFrom()
                                    .items(new Delta("without its turns"), Completion.of(Usage.none()));
                        },
                        "test",
                        call(bot(Map.of())),
                        outcomes::add);
        stream.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> !outcomes.isEmpty());

        assertThat(sink.types()).containsExactly(MessageEvent.STARTED, MessageEvent.FAILED);
        assertThat(sink.terminal(MessageEvent.Failed.class).error().code()).isEqualTo("connector_restarted");
        assertThat(sink.terminal(MessageEvent.Failed.class).error().retryable()).isTrue();
        assertThat(calls).hasValue(0);
        assertThat(outcomes).containsExactly(Outcome.failed(ErrorCode.CONNECTOR_RESTARTED));
        assertThat(metrics.streamsInFlight()).isZero();
        assertThat(history.terminals).containsExactly(sink.terminal());
    }

    @Test
    void retryAfterIsHonouredButCapped() {
        RetryPolicy policy = new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(10));
        assertThat(policy.delay(1, Optional.of(Duration.ofSeconds(3)))).isEqualTo(Duration.ofSeconds(3));
        assertThat(policy.delay(1, Optional.of(Duration.ofMinutes(5)))).isEqualTo(Duration.ofSeconds(10));
        assertThat(policy.delay(3, Optional.empty())).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
    }

    @Test
    void handlesAreKeptAtOnceAndTheNextMessageSeesThem() {
        List<Conversation> seen = new CopyOnWriteArrayList<>();
        ChatProvider provider = call -> {
            seen.add(call.conversation());
            return Multi.createFrom()
                    .items(
                            new ProviderChunk.Handles(Map.of("conversationId", "c-1")),
                            new Delta("ok"),
                            Completion.of(Usage.none()));
        };
        run(provider);
        assertThat(conversations.saved("bot", "s-1").handle("conversationId")).contains("c-1");
        outcomes.clear();
        sink.clear();
        run(provider);
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0).handles()).isEmpty();
        assertThat(seen.get(1).handle("conversationId")).contains("c-1");
        // A stateful vendor keeps its own turns: none are stored for it.
        assertThat(conversations.saved("bot", "s-1").turns()).isEmpty();
    }

    @Test
    void aStatelessVendorGetsTheEarlierTurnsBoundedByHistoryTurns() {
        List<Conversation> seen = new CopyOnWriteArrayList<>();
        ChatProvider stateless = new ChatProvider() {
            @Override
            public Multi<ProviderChunk> stream(ProviderCall call) {
                seen.add(call.conversation());
                return Multi.createFrom().items(new Delta("answer " + seen.size()), Completion.of(Usage.none()));
            }

            @Override
            public boolean needsEarlierTurns() {
                return true;
            }
        };
        for (int i = 0; i < 3; i++) {
            outcomes.clear();
            sink.clear();
            run(bot(Map.of("history-turns", "4")), stateless);
        }
        assertThat(seen.get(1).turns())
                .containsExactly(
                        new Conversation.Turn("user", "Hello"), new Conversation.Turn("assistant", "answer 1"));
        assertThat(seen.get(2).turns()).hasSize(4);
        assertThat(conversations.saved("bot", "s-1").turns())
                .hasSize(4)
                .last()
                .isEqualTo(new Conversation.Turn("assistant", "answer 3"));
    }

    private MessageStreamer streamer(Conversations store) {
        return new MessageStreamer(
                vertx, sink, metrics, new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(20)), store, history);
    }

    /** Conversations whose read completes with {@code read}; saves are dropped. */
    private static Conversations reading(CompletionStage<Conversation> read) {
        return new Conversations() {
            @Override
            public CompletionStage<Conversation> get(String bot, String sessionId, String messageId) {
                return read;
            }

            @Override
            public void save(String bot, String sessionId, String messageId, Conversation conversation) {}
        };
    }

    private void run(ChatProvider provider) {
        run(bot(Map.of()), provider);
    }

    private void run(BotConfig bot, ChatProvider provider) {
        streamer.prepare(provider, "test", call(bot), outcomes::add).start();
        await().atMost(Duration.ofSeconds(5)).until(() -> !outcomes.isEmpty());
        sink.assertWellFormed();
        assertThat(outcomes).hasSize(1);
    }

    private static BotConfig bot(Map<String, String> options) {
        return TestConfigs.bot("test", options);
    }

    private static ProviderCall call(BotConfig bot) {
        return new ProviderCall("bot", bot, "s-1", "m-1", "Hello", null);
    }

    private static Completion finalText(String text, Map<String, Object> data) {
        return new Completion(Optional.of(text), data, Usage.none());
    }
}
