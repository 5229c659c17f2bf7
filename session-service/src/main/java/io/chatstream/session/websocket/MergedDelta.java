package io.chatstream.session.websocket;

import io.chatstream.contract.event.EventJson;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.session.relay.Cursor;
import io.chatstream.session.relay.CursorSplice;
import io.chatstream.session.relay.RelayedEvent;
import java.nio.charset.StandardCharsets;

/**
 * Adjacent deltas of one message, waiting in a slow client's queue as one: {@code fromSeq} the
 * first seq, {@code seq} the last, the texts concatenated and the last event's cursor, so that a
 * client resuming from it misses nothing (API.md). Built under the queue's lock; rendered once,
 * when it is sent.
 */
final class MergedDelta implements Outbound {

    private final String sessionId;
    private final String messageId;
    private final long fromSeq;
    private final long firstRecordTimeMillis;
    private final StringBuilder text;
    private long seq;
    private Cursor cursor;
    private long chars;

    MergedDelta(RelayedEvent first) {
        this.sessionId = first.sessionId();
        this.messageId = first.messageId();
        this.fromSeq = first.seq();
        this.firstRecordTimeMillis = first.time().toEpochMilli();
        this.seq = first.seq();
        this.cursor = first.cursor();
        this.text = new StringBuilder(first.deltaText());
        this.chars = first.frame().length();
    }

    /** Whether {@code event} is the next delta of the same message. */
    boolean accepts(RelayedEvent event) {
        return event.isDelta() && event.seq() == seq + 1 && messageId.equals(event.messageId());
    }

    void add(RelayedEvent event) {
        text.append(event.deltaText());
        seq = event.seq();
        cursor = event.cursor();
        chars += event.deltaText().length();
    }

    int count() {
        return (int) (seq - fromSeq + 1);
    }

    @Override
    public long chars() {
        return chars;
    }

    @Override
    public String type() {
        return MessageEvent.DELTA;
    }

    /** The first delta's: the oldest text in the frame, so its lag is the frame's worst. */
    @Override
    public long recordTimeMillis() {
        return firstRecordTimeMillis;
    }

    @Override
    public String frame() {
        MessageEvent merged = new MessageEvent.Delta(sessionId, messageId, seq, fromSeq, text.toString());
        return CursorSplice.splice(new String(EventJson.encode(merged), StandardCharsets.UTF_8), cursor);
    }
}
