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
         * Per provider: the most requests taken from Kafka that wait for their turn (behind their
         * session's previous message, or for a free stream of their bot). Above it, reading pauses.
         * Streams are limited per bot ({@code gateway.bots.<bot>.max-concurrency}); cancels keep
         * being read while requests wait.
         */
        @WithDefault("2000")
        int maxQueued();

        /**
         * Database calls queued or running (conversation loads before a stream, conversation saves
         * and history outcomes after it; every provider of this instance together) at which the
         * request loops stop reading until they drain: a slow or absent database holds requests
         * back in Kafka instead of losing the calls. What is queued stays below this plus three
         * calls for each message already taken ({@code max-queued} plus the bots' streams, plus one
         * poll's records). Each queued write holds its message's question and answer; a
         * conversation load queued behind the others waits at most its 10 s deadline, so keep this
         * at a few seconds of the database's work (4 threads).
         */
        @WithDefault("1000")
        int databaseMaxQueued();

        /**
         * When partitions move to another instance (a rebalance), how long the messages streaming
         * here for them may finish before the partitions go; what still runs then is restarted by
         * the new owner after a {@code message.reset}.
         */
        @WithDefault("30s")
        Duration handOffTimeout();

        /**
         * At shutdown (SIGTERM), how long the messages streaming here may finish before the
         * instance leaves its groups: below the pod's {@code terminationGracePeriodSeconds}.
         */
        @WithDefault("90s")
        Duration drainTimeout();

        /**
         * This instance's static membership in its consumer groups ({@code group.instance.id}),
         * e.g. the pod name: a restart under the same id gets its partitions back without a
         * rebalance. Absent: dynamic membership. Unique per instance.
         */
        Optional<String> instanceId();

        /**
         * How long the events producer waits to batch records ({@code linger.ms}): one event per
         * token, so a short linger saves requests without delaying tokens (0ms … 5ms).
         */
        @WithDefault("1ms")
        Duration eventsLinger();
    }
}
