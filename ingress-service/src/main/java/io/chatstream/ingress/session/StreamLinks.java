package io.chatstream.ingress.session;

import io.chatstream.contract.token.TokenKind;
import io.chatstream.runtime.token.TokenSigner;
import io.chatstream.ingress.config.IngressConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Mints the tokens of a session and builds the {@code streamUrl} clients connect to. */
@ApplicationScoped
public class StreamLinks {

    private final IngressConfig config;
    private final TokenSigner signer;

    public StreamLinks(IngressConfig config, TokenSigner signer) {
        this.config = config;
        this.signer = signer;
    }

    public String streamToken(String sessionId, String owner) {
        return signer.sign(
                TokenKind.STREAM, sessionId, owner, config.streamToken().ttl());
    }

    public String clientToken(String sessionId, String owner) {
        return signer.sign(
                TokenKind.CLIENT, sessionId, owner, config.clientToken().ttl());
    }

    /**
     * The session's stream URL with its token; with {@code fromMessageId}, connecting to it, however
     * late, delivers that message whole.
     */
    public String streamUrl(String sessionId, String streamToken, String fromMessageId) {
        String url = config.stream().publicUrl().replaceAll("/+$", "")
                + "/v1/sessions/"
                + URLEncoder.encode(sessionId, StandardCharsets.UTF_8)
                + "/stream?token="
                + streamToken;
        return fromMessageId == null ? url : url + "&from=" + fromMessageId;
    }
}
