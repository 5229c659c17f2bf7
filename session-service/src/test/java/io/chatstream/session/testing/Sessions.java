package io.chatstream.session.testing;

import io.chatstream.contract.event.MessageIds;
import io.chatstream.contract.token.TokenKind;
import io.chatstream.runtime.token.TokenSigner;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Unique sessions, valid tokens and stream URLs for the tests. */
public final class Sessions {

    /** Equals {@code %test.gateway.stream-token.secret}. */
    public static final String SECRET = "test-stream-token-secret-0123456789";

    private Sessions() {}

    public static String newSessionId() {
        return "s-" + UUID.randomUUID();
    }

    public static String newMessageId() {
        return MessageIds.newId(Instant.now());
    }

    public static String token(String sessionId) {
        return new TokenSigner(SECRET).sign(TokenKind.STREAM, sessionId, "owner-1", Duration.ofMinutes(5));
    }

    /** {@code base} is the test server's root; {@code extraQuery} is appended as is (may be empty). */
    public static URI streamUri(URL base, String sessionId, String token, String extraQuery) {
        StringBuilder uri = new StringBuilder("ws://")
                .append(base.getHost())
                .append(':')
                .append(base.getPort())
                .append("/v1/sessions/")
                .append(sessionId)
                .append("/stream");
        String separator = "?";
        if (token != null) {
            uri.append(separator).append("token=").append(URLEncoder.encode(token, StandardCharsets.UTF_8));
            separator = "&";
        }
        if (!extraQuery.isEmpty()) {
            uri.append(separator).append(extraQuery);
        }
        return URI.create(uri.toString());
    }
}
