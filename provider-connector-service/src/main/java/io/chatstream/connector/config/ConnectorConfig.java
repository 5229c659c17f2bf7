package io.chatstream.connector.config;

import io.chatstream.provider.BotConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration of the connector: its own keys under {@code gateway.connector.} and the generic
 * keys of every bot under {@code gateway.bots.<bot>.} (a vendor's own options are its module's
 * mapping). {@link ConnectorConfigCustomizer} makes a misspelt key fail the start-up; the other
 * services' namespaces are skipped.
 */
@ConfigMapping(prefix = "gateway")
public interface ConnectorConfig {

    /** What this connector instance serves and how much it takes on. */
    Connector connector();

    /**
     * The bots, by name ({@code [a-z][a-z0-9]*}). Each option is a declared key, so that a bot can
     * be defined from the environment alone ({@code GATEWAY_BOTS_SUPPORT_PROVIDER=openai}).
     */
    Map<String, BotConfig> bots();

    interface Connector {

        /**
         * The providers this instance serves; each gets its consumer group {@code connector-<provider>}.
         * Absent: every provider registered in this build.
         */
        Optional<List<String>> providers();

        /**
         * Per provider: the most requests taken from Kafka and not yet finished (queued or
         * streaming). Above it, the provider's partitions are paused.
         */
        @WithDefault("256")
        int maxInFlight();

        /**
         * How long the events producer waits to batch records ({@code linger.ms}): one event per
         * token, so a short linger saves requests without delaying tokens (0ms … 5ms).
         */
        @WithDefault("1ms")
        Duration eventsLinger();
    }
}
