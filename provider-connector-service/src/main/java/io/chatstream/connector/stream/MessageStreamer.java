package io.chatstream.connector.stream;

import io.chatstream.connector.conversation.Conversations;
import io.chatstream.connector.history.MessageHistory;
import io.chatstream.contract.event.ErrorCode;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.provider.ChatProvider;
import io.chatstream.provider.ProviderCall;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** Creates the {@link MessageStream}s of every provider, and ends messages that cannot stream. */
@ApplicationScoped
public class MessageStreamer {

    private final Vertx vertx;
    private final EventSink sink;
    private final ConnectorMetrics metrics;
    private final RetryPolicy retry;
    private final Conversations conversations;
    private final MessageHistory history;

    @Inject
    public MessageStreamer(
            Vertx vertx,
            EventSink sink,
            ConnectorMetrics metrics,
            Conversations conversations,
            MessageHistory history) {
        this(vertx, sink, metrics, RetryPolicy.DEFAULT, conversations, history);
    }

    public MessageStreamer(
            Vertx vertx,
            EventSink sink,
            ConnectorMetrics metrics,
            RetryPolicy retry,
            Conversations conversations,
            MessageHistory history) {
        this.history = history;
        this.vertx = vertx;
        this.sink = sink;
        this.metrics = metrics;
        this.retry = retry;
        this.conversations = conversations;
    }

    /**
     * A stream for one message, not started yet: {@link MessageStream#start()} calls the vendor,
     * {@link MessageStream#cancel()} ends it at any time. {@code onEnd} runs once, when it ends.
     */
    public MessageStream prepare(
            ChatProvider provider, String providerName, ProviderCall call, String streamKey, Consumer<Outcome> onEnd) {
        return new MessageStream(
                provider, providerName, call, streamKey, sink, vertx, retry, metrics, conversations, history, onEnd);
    }

    /** A stream of a session whose records are keyed by its id (no stream key): tests, mostly. */
    public MessageStream prepare(
            ChatProvider provider, String providerName, ProviderCall call, Consumer<Outcome> onEnd) {
        return prepare(provider, providerName, call, call.sessionId(), onEnd);
    }

    /** Ends a message that cannot be streamed at all (unknown bot …): started, then failed; completes once stored. */
    public CompletionStage<Void> reject(
            String providerName,
            String streamKey,
            String sessionId,
            String messageId,
            String bot,
            String question,
            ErrorCode code,
            String why) {
        sink.publish(providerName, streamKey, MessageEvent.started(sessionId, messageId, bot, providerName));
        MessageEvent.Failed failed = MessageEvent.failed(sessionId, messageId, 1, "", code.withMessage(why));
        CompletionStage<Void> stored = sink.publishStored(providerName, streamKey, failed);
        history.ended(bot, providerName, question, failed);
        metrics.messageEnded(bot, providerName, Outcome.failed(code));
        return stored;
    }

    /**
     * Ends a message that an earlier connector started and that cannot be restarted (it was
     * restarted once already): {@code message.failed} with {@code connector_restarted}, its seq
     * continuing the earlier ones, and the text since the last reset. Completes once stored.
     */
    public CompletionStage<Void> failRestarted(
            String providerName, ProviderCall call, String streamKey, PriorAttempt prior) {
        MessageEvent.Failed failed = MessageEvent.failed(
                call.sessionId(),
                call.messageId(),
                prior.lastSeq() + 1,
                prior.textSoFar(),
                ErrorCode.CONNECTOR_RESTARTED.withMessage(
                        "the connector streaming this answer stopped, and it was restarted once already"));
        CompletionStage<Void> stored = sink.publishStored(providerName, streamKey, failed);
        history.ended(call.bot(), providerName, call.text(), failed);
        metrics.messageEnded(call.bot(), providerName, Outcome.failed(ErrorCode.CONNECTOR_RESTARTED));
        return stored;
    }

    /**
     * A redelivered message that an earlier connector ended: nothing is published again; its
     * history record is rewritten from the terminal event, in case that connector died before it.
     */
    public void alreadyEnded(String providerName, String bot, String question, MessageEvent.Terminal terminal) {
        history.ended(bot, providerName, question, terminal);
    }
}
