package io.chatstream.session.auth;

import io.chatstream.contract.token.TokenKind;
import io.chatstream.contract.token.TokenRejectedException;
import io.chatstream.runtime.config.GatewayConfig;
import io.chatstream.runtime.token.TokenSigner;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Checks the stream token a client presents when it connects. Stateless (an HMAC and an expiry),
 * so any replica can accept any client.
 */
@Startup
@ApplicationScoped
public class StreamTokenCheck {

    private final TokenSigner signer;

    public StreamTokenCheck(GatewayConfig config) {
        // Built once: a secret that is too short fails the start-up, not the first client.
        this.signer = TokenSigner.of(config.streamToken());
    }

    /**
     * @throws TokenRejectedException when the token is missing, forged, expired, not a stream
     *     token or for another session; its message is safe to send as the close reason
     * @return the stream key the token grants: the session's records on {@code chat.events}
     */
    public String verify(String token, String sessionId) throws TokenRejectedException {
        return signer.verify(token, TokenKind.STREAM, sessionId).kafkaKey();
    }
}
