package io.chatstream.provider;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * One bot ({@code gateway.bots.<bot>.*}): which provider answers it, where, and with what limits:
 * the keys every provider has. A vendor's own options (model, chatbot id …) are in its module's
 * own mapping, under the same {@code gateway.bots.<bot>.} keys.
 */
public interface BotConfig {

    /** The provider that answers this bot: {@code openai}, {@code demo}, … */
    String provider();

    /** The vendor's base URL (see the vendor table of the API contract). */
    Optional<String> url();

    /** The vendor credential. */
    Optional<String> apiKey();

    /** How long to wait for the vendor connection; a failure to connect is {@code provider_unavailable}. */
    @WithDefault("10s")
    Duration connectTimeout();

    /** How long to wait for the first token after the call starts; then {@code provider_timeout}. */
    @WithDefault("60s")
    Duration firstTokenTimeout();

    /** How long to wait for the next token; then {@code provider_timeout}. */
    @WithDefault("30s")
    Duration idleTimeout();

    /** Retries of a retryable failure, only before the first token was streamed. */
    @WithDefault("2")
    int maxRetries();

    /** For a stateless vendor (chatbase, openai): how many earlier turns are sent with a message. */
    @WithDefault("20")
    int historyTurns();

    /** The most messages of this bot streaming at once on one connector instance. */
    @WithDefault("64")
    int maxConcurrency();

    /**
     * The most of those one tenant (API key) may hold on one instance; absent, no limit of its own.
     * Set it below {@link #maxConcurrency()} so that one app's flood leaves slots to the others.
     */
    Optional<Integer> maxConcurrencyPerTenant();
}
