package io.chatstream.provider.chatbotkit;

/**
 * The variant of the ChatBotKit API a server speaks: which API root ({@link ChatbotkitEndpoint})
 * and which {@code Authorization} scheme ({@code Bearer}, as the SDKs send; {@code Token}, as the
 * older docs show). Learned per url: a 404 tries the other root, a 401/403 the other scheme, once
 * each, and the variant that answered is tried first next time.
 */
record Dialect(int root, String scheme) {

    static final String BEARER = "Bearer";
    static final String TOKEN = "Token";
    static final Dialect DEFAULT = new Dialect(0, BEARER);

    Dialect otherRoot() {
        return new Dialect(1 - root, scheme);
    }

    Dialect otherScheme() {
        return new Dialect(root, BEARER.equals(scheme) ? TOKEN : BEARER);
    }
}
