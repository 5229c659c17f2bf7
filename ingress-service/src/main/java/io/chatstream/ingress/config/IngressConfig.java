package io.chatstream.ingress.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The ingress's own keys, {@code gateway.ingress.*} (docs/api.md, "Configuration"). The bots and the
 * stream token are the shared core ({@link io.chatstream.runtime.config.GatewayConfig}).
 */
@ConfigMapping(prefix = "gateway.ingress")
public interface IngressConfig {

    /**
     * The accepted API keys ({@code GATEWAY_INGRESS_API_KEYS}, comma-separated; formerly
     * {@code GATEWAY_API_KEYS}). Required: no default key ships.
     */
    List<String> apiKeys();

    ClientToken clientToken();

    Stream stream();

    Cors cors();

    Limits limits();

    RateLimit rateLimit();

    Kafka kafka();

    DemoPage demoPage();

    interface ClientToken {
        /** How long a client token (a browser's Bearer for one session) stays valid. */
        @WithDefault("24h")
        Duration ttl();
    }

    interface Stream {
        /** The session-service URL that clients see, used to build {@code streamUrl}. */
        @WithDefault("ws://127.0.0.1:8081")
        String publicUrl();
    }

    interface Cors {
        /**
         * The browser origins allowed to call the API (comma-separated), handed to
         * {@code quarkus.http.cors.origins}; none by default.
         */
        Optional<List<String>> origins();
    }

    interface Limits {
        /** The longest accepted message text, in characters (Unicode code points). */
        @WithDefault("32000")
        int maxTextChars();

        /** Idempotency keys are remembered this long (docs/api.md: 24 h). */
        @WithDefault("24h")
        Duration idempotencyRetention();

        /** Messages (history: questions and answers) are kept this long after they were accepted. */
        @WithDefault("7d")
        Duration historyRetention();

        /** How often each replica deletes what is past its retention. */
        @WithDefault("1m")
        Duration retentionSweepInterval();
    }

    interface RateLimit {
        /** Sustained requests per second allowed per API key (a token bucket). */
        @WithDefault("20")
        double perSecond();

        /** Requests a key may send in a burst above the sustained rate. */
        @WithDefault("40")
        int burst();
    }

    interface Kafka {
        /**
         * How long a request may wait for Kafka's acknowledgement before the client gets 503. Kept
         * under 5 s (docs/api.md); the producer's own delivery timeout is derived from it, so that
         * the producer gives up on a record before the client is told it was not taken.
         */
        @WithDefault("4s")
        Duration sendTimeout();
    }

    interface DemoPage {
        /**
         * Serves the chat page ({@code /chat/}) and the endpoint that mints its session tokens
         * ({@code /demo/sessions}). That endpoint acts as the first API key for anyone who can reach
         * the ingress, so it is for local runs only: off, both answer 404 as unknown paths do.
         */
        @WithDefault("false")
        boolean enabled();
    }
}
