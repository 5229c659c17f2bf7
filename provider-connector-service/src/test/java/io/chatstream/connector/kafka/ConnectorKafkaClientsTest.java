package io.chatstream.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.runtime.kafka.ClientRole;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectorKafkaClientsTest {

    /** As Quarkus hands it over from KAFKA_BOOTSTRAP_SERVERS, KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM. */
    private final ConnectorKafkaClients clients = new ConnectorKafkaClients(
            Map.of(
                    "bootstrap.servers", "chat-kafka:9093",
                    "security.protocol", "SASL_SSL",
                    "sasl.mechanism", "SCRAM-SHA-512",
                    "group.id", "provider-connector-service"),
            Duration.ofMillis(2));

    @Test
    void aSettingMadeOnceReachesEveryClient() {
        for (ClientRole role : clients.roles()) {
            assertThat(clients.config(role))
                    .as(role.name())
                    .containsEntry("bootstrap.servers", "chat-kafka:9093")
                    .containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        }
    }

    @Test
    void onlyTheRequestLoopsJoinAGroupOfTheirProvider() {
        assertThat(clients.config(ConnectorKafkaClients.requestsConsumer("openai", java.util.Optional.empty())))
                .containsEntry("group.id", "connector-openai")
                .containsEntry(
                        "partition.assignment.strategy",
                        org.apache.kafka.clients.consumer.CooperativeStickyAssignor.class.getName())
                .doesNotContainKey("group.instance.id");
        assertThat(clients.config(
                        ConnectorKafkaClients.requestsConsumer("openai", java.util.Optional.of("connector-2"))))
                .containsEntry("group.instance.id", "connector-2");
        assertThat(clients.config(ConnectorKafkaClients.PRIOR_ATTEMPTS_READER)).doesNotContainKey("group.id");
        assertThat(clients.config(clients.eventsProducer()))
                .doesNotContainKey("group.id")
                .containsEntry("linger.ms", 2);
    }
}
