package io.chatstream.ingress.session;

import io.chatstream.contract.token.TokenKind;
import io.chatstream.ingress.config.IngressConfig;
import io.chatstream.runtime.config.GatewayConfig;
import io.chatstream.runtime.token.TokenSigner;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Mints the tokens of a session and builds the {@code streamUrl} clients connect to. */
@ApplicationScoped
public class StreamLinks {

    private final IngressConfig config;
    private final GatewayConfig gateway;
    private final TokenSigner signer;

    public StreamLinks(IngressConfig config, GatewayConfig gateway, TokenSigner signer) {
        this.config = config;
        this.gateway = gateway;
        this.signer = signer;
    }

    /** Reads the session's stream: the records keyed by its stream key, and no other session's. */
    public String streamToken(String sessionId, String owner, String streamKey) {
        return signer.sign(
                TokenKind.STREAM,
                sessionId,
                owner,
                streamKey,
                gateway.streamToken().ttl());
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
