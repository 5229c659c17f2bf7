package io.chatstream.connector.stream;

import io.chatstream.connector.provider.ChatProvider;
import io.chatstream.connector.provider.ProviderCall;
import io.chatstream.connector.provider.ProviderChunk;
import io.chatstream.connector.provider.ProviderException;
import io.chatstream.contract.event.ErrorCode;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.contract.event.Usage;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One message's answer: subscribes to the provider and turns its chunks into contract events,
 * {@code started}, {@code delta}s with gapless {@code seq}, then exactly one terminal event.
 * Watches the first-token and idle timeouts and retries retryable failures, but only before the
 * first delta: after text has reached clients, a failure is final.
 *
 * <p>Signals come from several threads (vendor I/O, timers, the Kafka consumer); state changes
 * happen under this object's lock, and {@code onEnd} is called outside it, once.
 */
public final class MessageStream {

    private static final Logger LOG = Logger.getLogger(MessageStream.class);

    private final ChatProvider provider;
    private final String providerName;
    private final ProviderCall call;
    private final EventSink sink;
    private final Vertx vertx;
    private final RetryPolicy retry;
    private final ConnectorMetrics metrics;
    private final Consumer<Outcome> onEnd;

    private final StringBuilder text = new StringBuilder();
    private long seq;
    private boolean started;
    private boolean ended;
    private boolean streamed;
    /** Counted in the in-flight gauge: started by {@link #start()}, not by a cancel. */
    private boolean live;
    private int attempt;
    /** Bumped on every (re)subscription and end, so late signals of an old one are ignored. */
    private int generation;

    private Cancellable upstream;
    private long timer = -1;

    MessageStream(
            ChatProvider provider,
            String providerName,
            ProviderCall call,
            EventSink sink,
            Vertx vertx,
            RetryPolicy retry,
            ConnectorMetrics metrics,
            Consumer<Outcome> onEnd) {
        this.provider = provider;
        this.providerName = providerName;
        this.call = call;
        this.sink = sink;
        this.vertx = vertx;
        this.retry = retry;
        this.metrics = metrics;
        this.onEnd = onEnd;
    }

    public String messageId() {
        return call.messageId();
    }

    /** Publishes {@code message.started} and calls the vendor. No-op if already cancelled. */
    public void start() {
        Outcome outcome = null;
        synchronized (this) {
            if (ended || started) {
                return;
            }
            try {
                live = true;
                metrics.streamStarted();
                publishStarted();
                subscribe();
            } catch (RuntimeException e) {
                outcome = fail(e);
            }
        }
        end(outcome);
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
            if (!started) {
                publishStarted();
            }
            stopUpstream();
            outcome = terminal(
                    MessageEvent.cancelled(call.sessionId(), call.messageId(), seq++, text.toString(), Usage.none()),
                    Outcome.cancelled());
        }
        end(outcome);
    }

    private void publishStarted() {
        started = true;
        sink.publish(
                providerName, MessageEvent.started(call.sessionId(), call.messageId(), call.bot(), providerName));
        seq = 1;
    }

    private void subscribe() {
        int gen = ++generation;
        arm(gen, call.config().firstTokenTimeout(), "no first token within ");
        upstream = Multi.createFrom()
                .deferred(() -> provider.stream(call))
                .subscribe()
                .with(chunk -> signal(gen, () -> onChunk(gen, chunk)), failure -> signal(gen, () -> fail(failure)), () ->
                        signal(gen, () -> fail(new ProviderException(
                                ErrorCode.INCOMPLETE, "the vendor stream ended without its end signal"))));
    }

    /** Runs a signal of subscription {@code gen} under the lock; any exception fails the message. */
    private void signal(int gen, java.util.function.Supplier<Outcome> action) {
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
                text.append(delta.text());
                sink.publish(providerName, MessageEvent.delta(call.sessionId(), call.messageId(), seq++, delta.text()));
            }
            arm(gen, call.config().idleTimeout(), "no next token within ");
            return null;
        }
        ProviderChunk.Completion completion = (ProviderChunk.Completion) chunk;
        stopUpstream();
        completion.finalText().map(fin -> FinalText.reconcile(text.toString(), fin)).ifPresent(this::apply);
        return terminal(
                MessageEvent.completed(
                        call.sessionId(),
                        call.messageId(),
                        seq++,
                        text.toString(),
                        completion.data().isEmpty() ? null : completion.data(),
                        completion.usage()),
                Outcome.completed());
    }

    private void apply(FinalText fin) {
        if (fin.reset()) {
            sink.publish(providerName, MessageEvent.reset(call.sessionId(), call.messageId(), seq++));
            text.setLength(0);
        }
        fin.delta().ifPresent(delta -> {
            text.append(delta);
            sink.publish(providerName, MessageEvent.delta(call.sessionId(), call.messageId(), seq++, delta));
        });
    }

    /** A failure: retried when retryable and nothing was streamed yet, else the terminal event. */
    private Outcome fail(Throwable failure) {
        stopUpstream();
        ProviderException error = failure instanceof ProviderException pe ? pe : unexpected(failure);
        if (!streamed && error.code().retryable() && attempt < call.config().maxRetries()) {
            attempt++;
            int gen = ++generation;
            Duration delay = retry.delay(attempt, error.retryAfter());
            LOG.debugf("message %s: %s, retry %d in %s", call.messageId(), error.code().code(), attempt, delay);
            timer = vertx.setTimer(Math.max(1, delay.toMillis()), id -> signal(gen, () -> {
                subscribe();
                return null;
            }));
            return null;
        }
        return terminal(
                MessageEvent.failed(
                        call.sessionId(),
                        call.messageId(),
                        seq++,
                        text.toString(),
                        error.code().withMessage(error.getMessage())),
                Outcome.failed(error.code()));
    }

    private ProviderException unexpected(Throwable failure) {
        LOG.errorf(failure, "message %s of bot %s failed unexpectedly", call.messageId(), call.bot());
        return new ProviderException(ErrorCode.PROVIDER_ERROR, "the connector failed: " + failure.getClass().getSimpleName(), failure);
    }

    private Outcome terminal(MessageEvent event, Outcome outcome) {
        ended = true;
        generation++;
        cancelTimer();
        try {
            sink.publish(providerName, event);
        } catch (RuntimeException e) {
            // The message still ends here: its request must be released, not held forever.
            LOG.errorf(e, "cannot publish %s of message %s", event.type(), call.messageId());
        }
        return outcome;
    }

    private void arm(int gen, Duration timeout, String reason) {
        cancelTimer();
        timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> signal(gen, () -> fail(new ProviderException(
                ErrorCode.PROVIDER_TIMEOUT, reason + timeout.toMillis() + " ms"))));
    }

    private void cancelTimer() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    private void stopUpstream() {
        cancelTimer();
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
