package io.chatstream.session.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.localkafka.KafkaBrokerTestResource;
import io.chatstream.runtime.kafka.ClientRole;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class SessionKafkaClientsTest {

    @Inject
    SessionKafkaClients clients;

    /** %test.kafka.security.protocol, set once in application.properties, and no group anywhere. */
    @Test
    void theOneKafkaConfigurationReachesEveryReader() {
        for (ClientRole role : clients.roles()) {
            assertThat(clients.config(role))
                    .as(role.name())
                    .containsEntry("security.protocol", "PLAINTEXT")
                    .doesNotContainKey("group.id");
        }
    }
}
