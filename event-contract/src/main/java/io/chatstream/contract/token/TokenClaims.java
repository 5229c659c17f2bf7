package io.chatstream.contract.token;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * What a signed token grants: one {@code kind} of access to exactly one session, until it expires.
 *
 * @param owner the id of the API key that owns the session (never the key itself)
 * @param streamKey the session's stream key ({@code ChatRequestEvent#streamKey}): what a stream
 *     token lets its holder read; absent from client tokens and from tokens minted before stream
 *     keys, which read the records keyed by the session id
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenClaims(
        @JsonProperty("kind") TokenKind kind,
        @JsonProperty("sid") String sessionId,
        @JsonProperty("own") String owner,
        @JsonProperty("exp") Instant expiresAt,
        @JsonProperty("key") String streamKey) {

    /** The stream key, else (a token of a session from before stream keys) the session id. */
    public String kafkaKey() {
        return streamKey != null ? streamKey : sessionId;
    }
}
