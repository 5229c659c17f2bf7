package io.chatstream.connector.stream;

import io.chatstream.connector.conversation.Conversations;
import io.chatstream.connector.history.MessageHistory;
import io.chatstream.contract.event.ErrorCode;
import io.chatstream.provider.ChatProvider;
import io.chatstream.provider.Conversation;
import io.chatstream.provider.ProviderCall;
import io.chatstream.provider.ProviderChunk;
import io.chatstream.provider.ProviderException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One message's answer: subscribes to the provider and turns its chunks into contract events,
 * {@code started}, {@code delta}s with gapless {@code seq}, then exactly one terminal event.
 * Watches the first-token and idle timeouts and retries retryable failures, but only before the
 * first delta: after text has reached clients, a failure is final.
 *
 * <p>Signals come from several threads (vendor I/O, timers, the Kafka consumer, the read of the
 * conversation); state changes happen under this object's lock, and {@code onEnd} is called
 * outside it, once.
 */
public final class MessageStream {

    private static final Logger LOG = Logger.getLogger(MessageStream.class);

    /**
     * A conversation that cannot be read fails the message instead of calling the vendor with an
     * empty one: a stateless vendor would answer without the earlier turns, a stateful one would
     * begin a new conversation, both silently. The contract has no code for "the gateway's own
     * store is away": {@code connector_restarted} is the one that is the connector's and
     * retryable (the client sends the message again, as after a restart), where {@code
     * provider_unavailable} would blame the vendor.
     */
    static final ErrorCode CONVERSATION_UNREADABLE = ErrorCode.CONNECTOR_RESTARTED;

    private final ChatProvider provider;
    private final String providerName;
    /** Gains the session's conversation when the message starts, and its handles as they change. */
    private ProviderCall call;

    private final Conversations conversations;
    private final RetryPolicy retry;
    private final ConnectorMetrics metrics;
    private final Consumer<Outcome> onEnd;

    private final MessageEventWriter events;
    private boolean ended;
    private boolean streamed;
    /** Counted in the in-flight gauge: started by {@link #start()}, not by a cancel. */
    private boolean live;

    private int attempt;
    /** The last seq an earlier connector published of this message, or -1 for a new message. */
    private long restartAfter = -1;
    /** Bumped on every (re)subscription and end, so late signals of an old one are ignored. */
    private int generation;

    private Cancellable upstream;
    /** The event loop this message's vendor I/O, parsing and publishing run on. */
    private final Executor eventLoop;

    private final StreamTimer timer;
    private final StreamClock clock;

    MessageStream(
            ChatProvider provider,
            String providerName,
            ProviderCall call,
            String streamKey,
            EventSink sink,
            Vertx vertx,
            RetryPolicy retry,
            ConnectorMetrics metrics,
            Conversations conversations,
            MessageHistory history,
            Consumer<Outcome> onEnd) {
        this.conversations = conversations;
        this.provider = provider;
        this.providerName = providerName;
        this.call = call;
        // Streams are spread over the event loops one by one. Left to Vert.x, every vendor call
        // made from the request loop's thread lands on that thread's one "sticky" context, so all
        // streams of an instance shared one event loop: one core, and at C = 100 the queue behind
        // it was most of the gateway's time to first token (docs/benchmarks.md).
        Context context = ((VertxInternal) vertx).createEventLoopContext();
        this.eventLoop = task -> context.runOnContext(ignored -> task.run());
        this.timer = new StreamTimer(vertx);
        this.retry = retry;
        this.metrics = metrics;
        this.onEnd = onEnd;
        this.events = new MessageEventWriter(sink, history, providerName, call, streamKey);
        this.clock = new StreamClock(metrics, call.bot(), providerName);
    }

    public String messageId() {
        return call.messageId();
    }

    /**
     * Completes once the message's terminal event is stored on Kafka; fails when it could not be.
     * Call after the message ended ({@code onEnd} ran).
     */
    public synchronized CompletionStage<Void> terminalStored() {
        CompletionStage<Void> stored = events.stored();
        return stored != null
                ? stored
                : CompletableFuture.failedFuture(
                        new IllegalStateException("message " + messageId() + " has not ended"));
    }

    /**
     * Makes this the restart of a message that an earlier connector started (seq up to
     * {@code lastSeq} on Kafka) and never ended: it begins with a {@code message.reset} instead of
     * {@code message.started}. Call before {@link #start()}.
     */
    public synchronized void restartAfter(long lastSeq) {
        restartAfter = lastSeq;
    }

    /**
     * Publishes {@code message.started}, reads the session's conversation, then calls the vendor.
     * No-op if already cancelled. Does not wait for the read: a cancel meanwhile ends the message
     * at once, and the vendor is never called.
     */
    public void start() {
        Outcome outcome = null;
        int gen;
        ProviderCall asked;
        synchronized (this) {
            if (ended || events.isStarted()) {
                return;
            }
            gen = generation;
            asked = call;
            try {
                live = true;
                metrics.streamStarted();
                begin();
            } catch (RuntimeException e) {
                outcome = fail(e);
            }
        }
        if (outcome != null) {
            end(outcome);
            return;
        }
        // Read now, not when the request was taken: the previous message of the session may have
        // changed it meanwhile. Read by the store's own threads, since this one may be an event
        // loop (a previous message's end starts the next); the stream goes on on its event loop.
        conversations
                .get(asked.bot(), asked.sessionId(), asked.messageId())
                .whenComplete((conversation, error) ->
                        eventLoop.execute(() -> signal(gen, () -> conversationRead(conversation, error))));
    }

    private Outcome conversationRead(Conversation conversation, Throwable error) {
        if (error != null) {
            // Not fail(): its retries would call the vendor without the conversation.
            events.failed(CONVERSATION_UNREADABLE.withMessage(
                    "the connector could not read the session's conversation from its database"));
            return ended(Outcome.failed(CONVERSATION_UNREADABLE));
        }
        call = call.withConversation(conversation);
        subscribe();
        return null;
    }

    /**
     * Ends the message with {@code message.cancelled} and the text so far, closing the vendor
     * stream. A message still waiting to start gets {@code started} then {@code cancelled}, so that
     * every message a client sees begins with seq 0 {@code started}. No-op once ended.
     */
    public void cancel() {
        Outcome outcome;
        synchronized (this) {
            if (ended) {
                return;
            }
            if (!events.isStarted()) {
                begin();
            }
            stopUpstream();
            events.cancelled();
            outcome = ended(Outcome.cancelled());
        }
        end(outcome);
    }

    /**
     * Stops the message without ending it: the vendor call is closed and nothing more is published,
     * no terminal event, and {@code onEnd} is not called. For a message whose request this instance
     * gives away: its next owner finds it started and unended on Kafka, and restarts it. Returns
     * false when it had ended already.
     */
    public boolean abandon() {
        synchronized (this) {
            if (ended) {
                return false;
            }
            ended = true;
            generation++;
            stopUpstream();
        }
        if (live) {
            metrics.streamEnded();
        }
        return true;
    }

    private void begin() {
        if (restartAfter >= 0) {
            events.restarted(restartAfter);
        } else {
            events.started();
        }
    }

    private void subscribe() {
        int gen = ++generation;
        clock.callStarted();
        arm(gen, call.config().firstTokenTimeout(), "no first token within ");
        upstream = Multi.createFrom()
                .deferred(() -> provider.stream(call))
                .runSubscriptionOn(eventLoop)
                .subscribe()
                .with(
                        chunk -> signal(gen, () -> onChunk(gen, chunk)),
                        failure -> signal(gen, () -> fail(failure)),
                        () -> signal(
                                gen,
                                () -> fail(new ProviderException(
                                        ErrorCode.INCOMPLETE, "the vendor stream ended without its end signal"))));
    }

    /** Runs a signal of subscription {@code gen} under the lock; any exception fails the message. */
    private void signal(int gen, Supplier<Outcome> action) {
        Outcome outcome;
        synchronized (this) {
            if (ended || gen != generation) {
                return;
            }
            try {
                outcome = action.get();
            } catch (RuntimeException e) {
                outcome = ended ? null : fail(e);
            }
        }
        end(outcome);
    }

    private Outcome onChunk(int gen, ProviderChunk chunk) {
        if (chunk instanceof ProviderChunk.Delta delta) {
            if (!delta.text().isEmpty()) {
                streamed = true;
                clock.token();
                events.delta(delta.text());
            }
            arm(gen, call.config().idleTimeout(), "no next token within ");
            return null;
        }
        if (chunk instanceof ProviderChunk.Handles handles) {
            call = call.withConversation(call.conversation().withHandles(handles.handles()));
            conversations.save(call.bot(), call.sessionId(), call.messageId(), call.conversation());
            return null;
        }
        ProviderChunk.Completion completion = (ProviderChunk.Completion) chunk;
        stopUpstream();
        completion.finalText().ifPresent(events::finalText);
        if (provider.needsEarlierTurns()) {
            conversations.save(
                    call.bot(),
                    call.sessionId(),
                    call.messageId(),
                    call.conversation()
                            .withExchange(
                                    call.text(), events.text(), call.config().historyTurns()));
        }
        events.completed(completion.data(), completion.usage());
        return ended(Outcome.completed());
    }

    /** A failure: retried when retryable and nothing was streamed yet, else the terminal event. */
    private Outcome fail(Throwable failure) {
        stopUpstream();
        ProviderException error = failure instanceof ProviderException pe ? pe : unexpected(failure);
        if (!streamed && error.code().retryable() && attempt < call.config().maxRetries()) {
            attempt++;
            clock.ended(Outcome.failed(error.code()));
            int gen = ++generation;
            Duration delay = retry.delay(attempt, error.retryAfter());
            LOG.debugf(
                    "message %s: %s, retry %d in %s",
                    call.messageId(), error.code().code(), attempt, delay);
            timer.schedule(
                    delay,
                    () -> signal(gen, () -> {
                        subscribe();
                        return null;
                    }));
            return null;
        }
        events.failed(error.code().withMessage(error.getMessage()));
        return ended(Outcome.failed(error.code()));
    }

    private ProviderException unexpected(Throwable failure) {
        LOG.errorf(failure, "message %s of bot %s failed unexpectedly", call.messageId(), call.bot());
        return new ProviderException(
                ErrorCode.PROVIDER_ERROR,
                "the connector failed: " + failure.getClass().getSimpleName(),
                failure);
    }

    private Outcome ended(Outcome outcome) {
        ended = true;
        clock.ended(outcome);
        generation++;
        stopUpstream();
        return outcome;
    }

    private void arm(int gen, Duration timeout, String reason) {
        timer.schedule(
                timeout,
                () -> signal(
                        gen,
                        () -> fail(new ProviderException(
                                ErrorCode.PROVIDER_TIMEOUT, reason + timeout.toMillis() + " ms"))));
    }

    private void stopUpstream() {
        timer.cancel();
        if (upstream != null) {
            upstream.cancel();
            upstream = null;
        }
    }

    private void end(Outcome outcome) {
        if (outcome != null) {
            if (live) {
                metrics.streamEnded();
            }
            metrics.messageEnded(call.bot(), providerName, outcome);
            onEnd.accept(outcome);
        }
    }
}
