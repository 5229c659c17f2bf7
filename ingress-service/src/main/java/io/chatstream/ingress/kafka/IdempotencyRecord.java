package io.chatstream.ingress.kafka;

import io.chatstream.contract.event.EventJson;
import java.time.Instant;

/** What an idempotency key remembers: the message it created and a hash of the body that made it. */
public record IdempotencyRecord(String messageId, String bodyHash, Instant acceptedAt) {

    public byte[] encode() {
        return EventJson.encode(this);
    }

    public static IdempotencyRecord decode(byte[] json) {
        return EventJson.decode(json, IdempotencyRecord.class);
    }
}
