package io.chatstream.ingress.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.localkafka.KafkaBrokerTestResource;
import io.chatstream.localpostgres.PostgresTestResource;
import io.chatstream.runtime.kafka.ClientRole;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(PostgresTestResource.class)
class IngressKafkaClientsTest {

    @Inject
    IngressKafkaClients clients;

    /** %test.kafka.security.protocol, set once in application.properties. */
    @Test
    void theOneKafkaConfigurationReachesEveryClient() {
        assertThat(clients.roles()).hasSize(2);
        for (ClientRole role : clients.roles()) {
            assertThat(clients.config(role)).as(role.name()).containsEntry("security.protocol", "PLAINTEXT");
        }
    }

    @Test
    void theProducerGivesUpBeforeTheClientIsTold503() {
        IngressKafkaClients fourSeconds =
                new IngressKafkaClients(Map.of("bootstrap.servers", "b:9092"), Duration.ofSeconds(4));

        assertThat(fourSeconds.config(fourSeconds.requestsProducer()))
                .containsEntry("acks", "all")
                .containsEntry("delivery.timeout.ms", "3000")
                .containsEntry("max.block.ms", "2000");
    }
}
