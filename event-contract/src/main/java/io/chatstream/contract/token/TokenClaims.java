package io.chatstream.contract.token;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * What a signed token grants: one {@code kind} of access to exactly one session, until it expires.
 *
 * @param owner the id of the API key that owns the session (never the key itself)
 */
public record TokenClaims(
        @JsonProperty("kind") TokenKind kind,
        @JsonProperty("sid") String sessionId,
        @JsonProperty("own") String owner,
        @JsonProperty("exp") Instant expiresAt) {}
