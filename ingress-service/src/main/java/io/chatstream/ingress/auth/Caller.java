package io.chatstream.ingress.auth;

/**
 * Who sent a request: the id of an API key (never the key itself), and, for a browser's client
 * token, the one session it may act on.
 *
 * @param owner {@code k-} and the start of the key's SHA-256: stable, short, not reversible
 * @param clientTokenSession null for an API key
 */
public record Caller(String owner, String clientTokenSession) {

    public boolean isApiKey() {
        return clientTokenSession == null;
    }
}
