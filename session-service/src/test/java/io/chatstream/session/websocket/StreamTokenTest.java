package io.chatstream.session.websocket;

import static io.chatstream.session.testing.Sessions.SECRET;
import static io.chatstream.session.testing.Sessions.newSessionId;
import static io.chatstream.session.testing.Sessions.streamUri;
import static io.chatstream.session.testing.Sessions.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.contract.token.TokenKind;
import io.chatstream.localkafka.KafkaBrokerTestResource;
import io.chatstream.runtime.token.TokenSigner;
import io.chatstream.session.testing.StreamClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** A refused token: the upgrade succeeds, then the server closes at once with 1008 and why. */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class StreamTokenTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void missingToken() throws Exception {
        assertRefused(newSessionId(), null, "missing token");
    }

    @Test
    void forgedToken() throws Exception {
        String session = newSessionId();
        String forged = new TokenSigner("another-secret-of-sixteen-chars")
                .sign(TokenKind.STREAM, session, "owner-1", Duration.ofMinutes(5));
        assertRefused(session, forged, "invalid token signature");
    }

    @Test
    void expiredToken() throws Exception {
        String session = newSessionId();
        Clock anHourAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
        String expired =
                new TokenSigner(SECRET, anHourAgo).sign(TokenKind.STREAM, session, "owner-1", Duration.ofMinutes(15));
        assertRefused(session, expired, "token expired");
    }

    @Test
    void tokenOfAnotherSession() throws Exception {
        assertRefused(newSessionId(), token(newSessionId()), "token is for another session");
    }

    @Test
    void clientTokenIsNotAStreamToken() throws Exception {
        String session = newSessionId();
        String client = new TokenSigner(SECRET).sign(TokenKind.CLIENT, session, "owner-1", Duration.ofMinutes(5));
        assertRefused(session, client, "token is not a stream token");
    }

    private void assertRefused(String session, String token, String reason) throws Exception {
        try (StreamClient client = StreamClient.connect(streamUri(base, session, token, ""))) {
            assertThat(client.awaitCloseCode()).isEqualTo(1008);
            assertThat(client.closeReason()).isEqualTo(reason);
            assertThat(client.parsed()).isEmpty();
        }
    }
}
