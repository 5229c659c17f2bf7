package io.chatstream.ingress.auth;

import io.chatstream.runtime.config.GatewayConfig;
import io.chatstream.runtime.token.TokenSigner;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

public class TokenSignerProducer {

    @Produces
    @Singleton
    TokenSigner signer(GatewayConfig config) {
        return TokenSigner.of(config.streamToken());
    }
}
