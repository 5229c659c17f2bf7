package io.chatstream.runtime.token;

import io.chatstream.contract.event.EventJson;
import io.chatstream.contract.token.TokenClaims;
import io.chatstream.contract.token.TokenKind;
import io.chatstream.contract.token.TokenRejectedException;
import io.chatstream.runtime.config.GatewayConfig;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies session tokens: {@code v1.<base64url(claims JSON)>.<base64url(HMAC-SHA256)>}.
 * The ingress signs, the session-service verifies; both share the secret
 * ({@code gateway.stream-token.secret}). Stateless on purpose: any replica can verify any token.
 */
public final class TokenSigner {

    private static final String VERSION = "v1";
    private static final String HMAC = "HmacSHA256";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final Clock clock;

    public TokenSigner(String secret, Clock clock) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("gateway.stream-token.secret must have at least 16 characters");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC);
        this.clock = clock;
    }

    public TokenSigner(String secret) {
        this(secret, Clock.systemUTC());
    }

    /** The signer of {@code gateway.stream-token.secret}, which the ingress and the session-service require. */
    public static TokenSigner of(GatewayConfig.StreamToken config) {
        return new TokenSigner(config.secret()
                .orElseThrow(() -> new IllegalArgumentException(
                        "gateway.stream-token.secret (GATEWAY_STREAM_TOKEN_SECRET) is required")));
    }

    public String sign(TokenKind kind, String sessionId, String owner, Duration ttl) {
        return sign(kind, sessionId, owner, null, ttl);
    }

    /** A token that also names the session's stream key (a stream token: what it may read). */
    public String sign(TokenKind kind, String sessionId, String owner, String streamKey, Duration ttl) {
        // Whole seconds: the token says when it expires, not how precisely it was minted.
        Instant expiresAt =
                clock.instant().plus(ttl).plusMillis(999).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String payload =
                B64.encodeToString(EventJson.encode(new TokenClaims(kind, sessionId, owner, expiresAt, streamKey)));
        String signed = VERSION + "." + payload;
        return signed + "." + B64.encodeToString(mac(signed));
    }

    /**
     * Checks the signature, the kind, the expiry and the session.
     *
     * @throws TokenRejectedException with a reason fit for a close frame or a problem detail
     */
    public TokenClaims verify(String token, TokenKind expectedKind, String sessionId) throws TokenRejectedException {
        if (token == null || token.isEmpty()) {
            throw new TokenRejectedException("missing token");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || !VERSION.equals(parts[0])) {
            throw new TokenRejectedException("malformed token");
        }
        byte[] signature;
        byte[] payload;
        try {
            signature = B64_DECODE.decode(parts[2]);
            payload = B64_DECODE.decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new TokenRejectedException("malformed token");
        }
        if (!MessageDigest.isEqual(signature, mac(parts[0] + "." + parts[1]))) {
            throw new TokenRejectedException("invalid token signature");
        }
        TokenClaims claims;
        try {
            claims = EventJson.decode(payload, TokenClaims.class);
        } catch (RuntimeException e) {
            throw new TokenRejectedException("malformed token");
        }
        if (claims.kind() != expectedKind) {
            throw new TokenRejectedException("token is not a " + expectedKind.wire() + " token");
        }
        if (claims.expiresAt() == null || !clock.instant().isBefore(claims.expiresAt())) {
            throw new TokenRejectedException("token expired");
        }
        if (!claims.sessionId().equals(sessionId)) {
            throw new TokenRejectedException("token is for another session");
        }
        return claims;
    }

    private byte[] mac(String data) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
