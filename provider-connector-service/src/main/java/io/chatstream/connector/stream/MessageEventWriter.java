package io.chatstream.connector.stream;

import io.chatstream.connector.history.MessageHistory;
import io.chatstream.contract.event.ErrorCode;
import io.chatstream.contract.event.ErrorInfo;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.contract.event.Usage;
import io.chatstream.provider.ProviderCall;
import io.chatstream.provider.ProviderException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Writes the events of one message in order: numbers them (seq 0, 1, 2 … without gaps) and keeps
 * the text since the last reset, which every terminal event carries. Not thread-safe: used under
 * its {@link MessageStream}'s lock.
 */
final class MessageEventWriter {

    private static final Logger LOG = Logger.getLogger(MessageEventWriter.class);

    /**
     * The longest answer one message carries. Every terminal event repeats the whole text, and a
     * Kafka record is at most 1 MiB (the broker's and the producer's default): past this, even
     * JSON-escaped, the terminal could not be published and the message would never end. A vendor
     * that sends more fails the message with {@code provider_error} and the text so far.
     */
    static final int MAX_ANSWER_CHARS = 100_000;

    private final EventSink sink;
    private final MessageHistory history;
    private final String provider;
    private final ProviderCall call;
    private final String streamKey;
    private final StringBuilder text = new StringBuilder();
    private long seq;
    private boolean started;
    /** The terminal event stored; null until the message ends. */
    private CompletionStage<Void> stored;

    MessageEventWriter(EventSink sink, MessageHistory history, String provider, ProviderCall call, String streamKey) {
        this.sink = sink;
        this.streamKey = streamKey;
        this.history = history;
        this.provider = provider;
        this.call = call;
    }

    boolean isStarted() {
        return started;
    }

    void started() {
        started = true;
        publish(MessageEvent.started(call.sessionId(), call.messageId(), call.bot(), provider));
    }

    /**
     * Takes over a message that an earlier connector started and never ended: its events up to
     * {@code lastSeq} are on Kafka, so this one continues their numbering with a
     * {@code message.reset} (the text so far is void) and streams the answer again from its start.
     */
    void restarted(long lastSeq) {
        started = true;
        seq = lastSeq + 1;
        publish(MessageEvent.reset(call.sessionId(), call.messageId(), seq));
    }

    void delta(String piece) {
        if (text.length() + piece.length() > MAX_ANSWER_CHARS) {
            throw new ProviderException(
                    ErrorCode.PROVIDER_ERROR,
                    "the answer is longer than " + MAX_ANSWER_CHARS + " characters, the most a message carries");
        }
        text.append(piece);
        publish(MessageEvent.delta(call.sessionId(), call.messageId(), seq, piece));
    }

    /** The answer so far: the text since the last reset. */
    String text() {
        return text.toString();
    }

    /** Makes the text equal the vendor's final text: a missing suffix, or a reset and the whole. */
    void finalText(String fin) {
        FinalText reconciled = FinalText.reconcile(text.toString(), fin);
        if (reconciled.reset()) {
            text.setLength(0);
            publish(MessageEvent.reset(call.sessionId(), call.messageId(), seq));
        }
        reconciled.delta().ifPresent(this::delta);
    }

    void completed(Map<String, Object> data, Usage usage) {
        terminal(MessageEvent.completed(
                call.sessionId(), call.messageId(), seq, text.toString(), data.isEmpty() ? null : data, usage));
    }

    void failed(ErrorInfo error) {
        terminal(MessageEvent.failed(call.sessionId(), call.messageId(), seq, text.toString(), error));
    }

    /** Usage is unknown when a stream is cut short: reported as none, never invented. */
    void cancelled() {
        terminal(MessageEvent.cancelled(call.sessionId(), call.messageId(), seq, text.toString(), Usage.none()));
    }

    /** Completes once the terminal event is stored (acknowledged by the broker); null before the end. */
    CompletionStage<Void> stored() {
        return stored;
    }

    private void terminal(MessageEvent.Terminal event) {
        try {
            seq++;
            stored = sink.publishStored(provider, streamKey, event);
        } catch (RuntimeException e) {
            // The message still ends here (its session's next message may start), but its request
            // stays unfinished: a later owner finds no terminal event and answers it again.
            LOG.errorf(e, "cannot publish %s of message %s", event.type(), call.messageId());
            stored = CompletableFuture.failedFuture(e);
        }
        try {
            history.ended(call.bot(), provider, call.text(), event);
        } catch (RuntimeException e) {
            LOG.errorf(e, "cannot record the history of message %s", call.messageId());
        }
    }

    private void publish(MessageEvent event) {
        seq++;
        sink.publish(provider, streamKey, event);
    }
}
