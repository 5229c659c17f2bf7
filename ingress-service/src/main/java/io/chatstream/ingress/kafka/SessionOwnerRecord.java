package io.chatstream.ingress.kafka;

import io.chatstream.contract.event.EventJson;
import java.time.Instant;

/** The API key (owner id) that first used a session. */
public record SessionOwnerRecord(String owner, Instant since) {

    public byte[] encode() {
        return EventJson.encode(this);
    }

    public static SessionOwnerRecord decode(byte[] json) {
        return EventJson.decode(json, SessionOwnerRecord.class);
    }
}
