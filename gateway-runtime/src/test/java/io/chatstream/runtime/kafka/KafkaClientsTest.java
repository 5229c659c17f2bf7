package io.chatstream.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {

    private static final ClientRole WRITER = new ClientRole("writer", Map.of("acks", "all"));
    private static final ClientRole GROUPED = new ClientRole("grouped", Map.of("group.id", "readers"));

    private final KafkaClients clients =
            new KafkaClients(
                    "svc",
                    Map.of(
                            "bootstrap.servers", "broker:9093",
                            "security.protocol", "SASL_SSL",
                            "sasl.mechanism", "SCRAM-SHA-512",
                            "group.id", "svc")) {
                @Override
                public List<ClientRole> roles() {
                    return List.of(WRITER, GROUPED);
                }
            };

    @Test
    void aSettingMadeOnceReachesEveryRole() {
        for (ClientRole role : clients.roles()) {
            assertThat(clients.config(role))
                    .as(role.name())
                    .containsEntry("bootstrap.servers", "broker:9093")
                    .containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        }
    }

    @Test
    void onlyARoleJoinsAGroup() {
        assertThat(clients.config(WRITER)).doesNotContainKey("group.id").containsEntry("acks", "all");
        assertThat(clients.config(GROUPED)).containsEntry("group.id", "readers");
    }

    @Test
    void everyClientHasItsOwnIdNamedAfterItsRole() {
        Object first = clients.config(WRITER).get("client.id");
        Object second = clients.config(WRITER).get("client.id");

        assertThat(first).asString().startsWith("svc-writer-");
        assertThat(second).isNotEqualTo(first);
    }
}
