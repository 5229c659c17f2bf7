package io.chatstream.runtime.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The keys every service shares (docs/api.md, "Configuration"): the bots and the stream token.
 * Each service has its own namespace beside them ({@code gateway.ingress.*},
 * {@code gateway.session.*}, {@code gateway.connector.*}); {@link GatewayConfigCustomizer} makes a
 * misspelt key of this mapping or of the service's own namespace fail the start-up.
 */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /**
     * The bots, by name: {@code gateway.bots.<bot>.*}, or {@code GATEWAY_BOTS_<BOT>_PROVIDER=…} in
     * the environment. A vendor's own options ({@code model}, {@code chatbot-id} …) sit beside these
     * keys and belong to that vendor's module.
     */
    Map<String, Bot> bots();

    StreamToken streamToken();

    interface Bot {

        /** The provider that serves this bot: its requests go to {@code chat.requests.<provider>}. */
        String provider();

        /** The vendor's base URL; the built-in {@code demo} provider has none. */
        Optional<String> url();

        /** The vendor credential, from a Secret that only this vendor's connectors mount. */
        Optional<String> apiKey();
    }

    interface StreamToken {

        /**
         * HMAC secret of the stream tokens, at least 16 characters: the ingress signs with it, the
         * session-service verifies, so both need the same value ({@code GATEWAY_STREAM_TOKEN_SECRET});
         * both refuse to start without it. The connector does not use it.
         */
        Optional<String> secret();

        /** How long a stream token may be used to connect. */
        @WithDefault("15m")
        Duration ttl();
    }
}
