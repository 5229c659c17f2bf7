package io.chatstream.ingress.auth;

import io.chatstream.runtime.token.TokenSigner;
import io.chatstream.ingress.config.IngressConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

public class TokenSignerProducer {

    @Produces
    @Singleton
    TokenSigner signer(IngressConfig config) {
        return new TokenSigner(config.streamToken().secret());
    }
}
