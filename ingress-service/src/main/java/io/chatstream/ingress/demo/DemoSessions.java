package io.chatstream.ingress.demo;

import io.chatstream.ingress.auth.Caller;
import io.chatstream.ingress.auth.CallerAuthenticator;
import io.chatstream.ingress.auth.RateLimiter;
import io.chatstream.ingress.config.IngressConfig;
import io.chatstream.ingress.problem.ProblemException;
import io.chatstream.ingress.session.SessionOwners;
import io.chatstream.ingress.session.StreamLinks;
import io.chatstream.ingress.store.Database;
import io.chatstream.store.Sessions;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Sessions of the demo page, owned by the first configured API key. The page gets what a backend
 * would hand a browser ({@code POST /v1/sessions/{id}/token}), never the key: only sessions this
 * class created (128 random bits in the id) can be given tokens again.
 */
@ApplicationScoped
public class DemoSessions {

    static final String PREFIX = "demo-";
    private static final Pattern DEMO_ID = Pattern.compile("demo-[0-9a-v]{26}");

    private final SecureRandom random = new SecureRandom();
    private final CallerAuthenticator authenticator;
    private final RateLimiter rateLimiter;
    private final Database database;
    private final StreamLinks links;
    private final IngressConfig config;

    public DemoSessions(
            CallerAuthenticator authenticator,
            RateLimiter rateLimiter,
            Database database,
            StreamLinks links,
            IngressConfig config) {
        this.authenticator = authenticator;
        this.rateLimiter = rateLimiter;
        this.database = database;
        this.links = links;
        this.config = config;
    }

    /** What the page holds for one session. */
    public record DemoSession(String sessionId, String clientToken, String streamToken, String streamUrl) {}

    /** A new session, claimed for the demo's owner. */
    public DemoSession create() {
        String owner = owner();
        String sessionId = newId();
        return tokens(sessionId, owner, database.inTransaction(c -> SessionOwners.claimOrCheck(c, sessionId, owner)));
    }

    /** Fresh tokens for a session this class created: reconnects after expiry, a second tab. */
    public DemoSession refresh(String sessionId) {
        if (sessionId == null || !DEMO_ID.matcher(sessionId).matches()) {
            throw ProblemException.notFound("session_not_found", "No demo session '" + sessionId + "'.");
        }
        String owner = owner();
        return tokens(sessionId, owner, database.inTransaction(c -> SessionOwners.check(c, sessionId, owner)));
    }

    private DemoSession tokens(String sessionId, String owner, Sessions.Session session) {
        String streamToken = links.streamToken(sessionId, owner, session.streamKey());
        return new DemoSession(
                sessionId,
                links.clientToken(sessionId, owner),
                streamToken,
                links.streamUrl(sessionId, streamToken, null));
    }

    /** The first API key's owner; the demo spends that key's rate limit, as its callers would. */
    private String owner() {
        String key = config.apiKeys().stream()
                .map(String::trim)
                .filter(k -> !k.isEmpty())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("gateway.ingress.api-keys is empty"));
        Caller caller = authenticator.apiKey("Bearer " + key);
        rateLimiter.acquire(caller.owner());
        return caller.owner();
    }

    /** {@code demo-} and 128 random bits in 26 base-32 digits: the id is the capability. */
    private String newId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String digits = new BigInteger(1, bytes).toString(32);
        return PREFIX + "0".repeat(26 - digits.length()) + digits;
    }
}
