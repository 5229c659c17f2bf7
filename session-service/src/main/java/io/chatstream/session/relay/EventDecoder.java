package io.chatstream.session.relay;

import io.chatstream.contract.event.EventJson;
import io.chatstream.contract.event.MessageEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns a {@code chat.events} record into the event clients receive. The live reader and the
 * catch-up readers use the same code, so an event replayed from Kafka is byte for byte the frame
 * that was relayed live: a client can never tell (nor double-count) which path it came by.
 */
final class EventDecoder {

    private EventDecoder() {}

    /**
     * @throws RuntimeException when the value is not a message event (the caller skips it)
     */
    static RelayedEvent decode(ConsumerRecord<String, byte[]> record) {
        MessageEvent event = EventJson.decode(record.value(), MessageEvent.class);
        // Keyed by the session's stream key; records from before stream keys by the session id.
        String streamKey = record.key() != null ? record.key() : event.sessionId();
        Cursor cursor = new Cursor(record.partition(), record.offset());
        String frame = CursorSplice.splice(new String(record.value(), StandardCharsets.UTF_8), cursor);
        // A delta that is already merged (fromSeq set) is never merged again: it has no deltaText.
        String deltaText = event instanceof MessageEvent.Delta delta && delta.fromSeq() == null
                ? (delta.text() == null ? "" : delta.text())
                : null;
        return new RelayedEvent(
                streamKey,
                event.sessionId(),
                event.messageId(),
                event.type(),
                cursor,
                Instant.ofEpochMilli(record.timestamp()),
                frame,
                event.seq(),
                deltaText);
    }
}
