package io.chatstream.session.kafka;

import io.chatstream.runtime.kafka.ClientRole;
import io.chatstream.runtime.kafka.KafkaClients;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/** The session-service's Kafka clients, all from the one {@code kafka.*} configuration: what each role adds to it. */
@Singleton
public class SessionKafkaClients extends KafkaClients {

    /** How long an admin call may wait: the reader retries while the broker is away. */
    public static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(10);

    /**
     * How a reader of {@code chat.events} reads, live or catching up: without a group (partitions
     * are assigned, positions come from time), promptly (token streams), and never an event of an
     * aborted transaction.
     */
    private static final Map<String, Object> READER = readerSettings();

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

    private static Map<String, Object> readerSettings() {
        Map<String, Object> settings = new HashMap<>(promptReader(50));
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return settings;
    }

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
