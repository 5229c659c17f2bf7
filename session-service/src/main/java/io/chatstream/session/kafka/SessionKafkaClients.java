package io.chatstream.session.kafka;

import io.chatstream.runtime.kafka.ClientRole;
import io.chatstream.runtime.kafka.KafkaClients;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/** The session-service's Kafka clients, all from the one {@code kafka.*} configuration: what each role adds to it. */
@Singleton
public class SessionKafkaClients extends KafkaClients {

    /** How long an admin call may wait: the reader retries while the broker is away. */
    public static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(10);

    /** How a reader of {@code chat.events} reads, live or catching up. */
    private static final Map<String, Object> READER = Map.of(
            // No group: partitions are assigned, positions come from time, nothing is committed.
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            // A position that fell out of retention restarts at the oldest record kept.
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            // Token streams: hand over each record as soon as the broker has it.
            ConsumerConfig.FETCH_MIN_BYTES_CONFIG,
            1,
            ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
            50,
            // Events of an aborted transaction must never reach a client.
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed");

    /** The one live reader of {@code chat.events}. */
    public static final ClientRole EVENTS_READER = new ClientRole("events-reader", READER);

    /** A reader of the pool that serves replays from Kafka. */
    public static final ClientRole CATCH_UP_READER = new ClientRole("catch-up-reader", READER);

    /** Creates {@code chat.events}. */
    public static final ClientRole ADMIN = new ClientRole(
            "admin",
            Map.of(
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                    (int) ADMIN_TIMEOUT.toMillis(),
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                    (int) ADMIN_TIMEOUT.toMillis()));

    @Inject
    public SessionKafkaClients(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        super("session", kafka);
    }

    /** Clients of a broker given by address alone (the tests' own readers). */
    public static SessionKafkaClients of(String bootstrapServers) {
        return new SessionKafkaClients(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    @Override
    public List<ClientRole> roles() {
        return List.of(EVENTS_READER, CATCH_UP_READER, ADMIN);
    }
}
