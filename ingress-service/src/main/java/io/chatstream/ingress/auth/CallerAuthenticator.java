package io.chatstream.ingress.auth;

import io.chatstream.contract.token.TokenClaims;
import io.chatstream.contract.token.TokenKind;
import io.chatstream.contract.token.TokenRejectedException;
import io.chatstream.ingress.config.IngressConfig;
import io.chatstream.ingress.problem.ProblemException;
import io.chatstream.runtime.token.TokenSigner;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Resolves the {@code Authorization: Bearer …} of a request: one of the configured API keys, or a
 * client token minted for exactly the session of the request.
 */
@ApplicationScoped
public class CallerAuthenticator {

    private static final String BEARER = "Bearer ";

    /** Key hash → owner id. Keys are compared by hash, so no comparison leaks a key's prefix. */
    private final Map<String, String> ownersByKeyHash;

    private final TokenSigner signer;

    public CallerAuthenticator(IngressConfig config, TokenSigner signer) {
        this.ownersByKeyHash = config.apiKeys().stream()
                .map(String::trim)
                .filter(key -> !key.isEmpty())
                .collect(Collectors.toUnmodifiableMap(
                        CallerAuthenticator::sha256, CallerAuthenticator::ownerOf, (a, b) -> a));
        this.signer = signer;
    }

    /** An API key only: for the calls a browser must never make. */
    public Caller apiKey(String authorization) {
        String bearer = bearer(authorization);
        String owner = ownersByKeyHash.get(sha256(bearer));
        if (owner == null) {
            throw ProblemException.unauthorized("The API key is not valid.");
        }
        return new Caller(owner, null);
    }

    /** An API key, or a client token for {@code sessionId}. */
    public Caller apiKeyOrClientToken(String authorization, String sessionId) {
        String bearer = bearer(authorization);
        String owner = ownersByKeyHash.get(sha256(bearer));
        if (owner != null) {
            return new Caller(owner, null);
        }
        if (!bearer.startsWith("v1.")) {
            throw ProblemException.unauthorized("The API key is not valid.");
        }
        try {
            TokenClaims claims = signer.verify(bearer, TokenKind.CLIENT, sessionId);
            return new Caller(claims.owner(), sessionId);
        } catch (TokenRejectedException e) {
            throw ProblemException.unauthorized("The client token is not valid: " + e.getMessage() + ".");
        }
    }

    private static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw ProblemException.unauthorized("Send the API key as 'Authorization: Bearer <key>'.");
        }
        String bearer = authorization.substring(BEARER.length()).trim();
        if (bearer.isEmpty()) {
            throw ProblemException.unauthorized("Send the API key as 'Authorization: Bearer <key>'.");
        }
        return bearer;
    }

    static String ownerOf(String apiKey) {
        return "k-" + sha256(apiKey).substring(0, 12);
    }

    private static String sha256(String value) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
