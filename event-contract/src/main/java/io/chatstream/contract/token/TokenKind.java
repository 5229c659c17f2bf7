package io.chatstream.contract.token;

import com.fasterxml.jackson.annotation.JsonValue;

/** The two tokens a session can have; one can never be used as the other. */
public enum TokenKind {
    /** Opens the session's WebSocket stream. */
    STREAM("stream"),
    /** The Bearer a browser uses for this session's {@code messages} and {@code cancel} calls. */
    CLIENT("client");

    private final String wire;

    TokenKind(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }
}
