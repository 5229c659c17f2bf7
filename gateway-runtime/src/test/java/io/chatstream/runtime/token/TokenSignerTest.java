package io.chatstream.runtime.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatstream.contract.token.TokenClaims;
import io.chatstream.contract.token.TokenKind;
import io.chatstream.contract.token.TokenRejectedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TokenSignerTest {

    private static final String SECRET = "0123456789abcdef-test-secret";
    private final Instant now = Instant.parse("2026-11-21T08:00:00Z");
    private final TokenSigner signer = new TokenSigner(SECRET, Clock.fixed(now, ZoneOffset.UTC));

    @Test
    void aTokenGrantsItsSessionAndKind() throws TokenRejectedException {
        String token = signer.sign(TokenKind.STREAM, "s-1", "k-1", Duration.ofMinutes(15));
        TokenClaims claims = signer.verify(token, TokenKind.STREAM, "s-1");
        assertThat(claims.sessionId()).isEqualTo("s-1");
        assertThat(claims.owner()).isEqualTo("k-1");
        assertThat(claims.expiresAt()).isEqualTo(now.plus(Duration.ofMinutes(15)));
    }

    @Test
    void aStreamTokenNamesTheStreamKeyItReads() throws TokenRejectedException {
        String token = signer.sign(TokenKind.STREAM, "s-1", "k-1", "key-a", Duration.ofMinutes(15));
        assertThat(signer.verify(token, TokenKind.STREAM, "s-1").kafkaKey()).isEqualTo("key-a");
        // A token minted before stream keys reads the records keyed by the session id.
        String older = signer.sign(TokenKind.STREAM, "s-1", "k-1", Duration.ofMinutes(15));
        assertThat(signer.verify(older, TokenKind.STREAM, "s-1").kafkaKey()).isEqualTo("s-1");
    }

    @Test
    void anotherSessionIsRefused() {
        String token = signer.sign(TokenKind.STREAM, "s-1", "k-1", Duration.ofMinutes(15));
        assertThatThrownBy(() -> signer.verify(token, TokenKind.STREAM, "s-2"))
                .isInstanceOf(TokenRejectedException.class)
                .hasMessage("token is for another session");
    }

    @Test
    void aClientTokenDoesNotOpenAStream() {
        String token = signer.sign(TokenKind.CLIENT, "s-1", "k-1", Duration.ofMinutes(15));
        assertThatThrownBy(() -> signer.verify(token, TokenKind.STREAM, "s-1"))
                .hasMessage("token is not a stream token");
    }

    @Test
    void anExpiredTokenIsRefused() {
        String token = signer.sign(TokenKind.STREAM, "s-1", "k-1", Duration.ofMinutes(15));
        TokenSigner later = new TokenSigner(SECRET, Clock.fixed(now.plus(Duration.ofMinutes(16)), ZoneOffset.UTC));
        assertThatThrownBy(() -> later.verify(token, TokenKind.STREAM, "s-1")).hasMessage("token expired");
    }

    @Test
    void aForgedTokenIsRefused() {
        String token = signer.sign(TokenKind.STREAM, "s-1", "k-1", Duration.ofMinutes(15));
        TokenSigner other = new TokenSigner("another-secret-of-16+chars", Clock.fixed(now, ZoneOffset.UTC));
        assertThatThrownBy(() -> other.verify(token, TokenKind.STREAM, "s-1")).hasMessage("invalid token signature");
        // Swap the payload for another session's, keep the signature.
        String[] parts = token.split("\\.");
        String otherPayload = signer.sign(TokenKind.STREAM, "s-2", "k-1", Duration.ofMinutes(15))
                .split("\\.")[1];
        assertThatThrownBy(() -> signer.verify(parts[0] + "." + otherPayload + "." + parts[2], TokenKind.STREAM, "s-2"))
                .hasMessage("invalid token signature");
    }

    @Test
    void garbageIsRefusedNotThrown() {
        for (String garbage : new String[] {"", "x", "v1.a.b", "v1.!!.??", "v2.a.b", "v1..", null}) {
            assertThatThrownBy(() -> signer.verify(garbage, TokenKind.STREAM, "s-1"))
                    .isInstanceOf(TokenRejectedException.class);
        }
    }
}
