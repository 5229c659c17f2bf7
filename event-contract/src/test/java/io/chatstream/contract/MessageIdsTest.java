package io.chatstream.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.contract.event.MessageIds;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MessageIdsTest {

    @Test
    void idsAreUuidV7CarryingTheirAcceptanceTime() {
        Instant at = Instant.parse("2026-11-21T08:00:00.123Z");
        String id = MessageIds.newId(at);
        assertThat(UUID.fromString(id).version()).isEqualTo(7);
        assertThat(UUID.fromString(id).variant()).isEqualTo(2);
        assertThat(MessageIds.acceptedAt(id)).contains(at);
    }

    @Test
    void idsAreUnique() {
        Set<String> ids = new HashSet<>();
        Instant at = Instant.now();
        for (int i = 0; i < 10_000; i++) {
            ids.add(MessageIds.newId(at));
        }
        assertThat(ids).hasSize(10_000);
    }

    @Test
    void otherIdsCarryNoTime() {
        assertThat(MessageIds.acceptedAt(UUID.randomUUID().toString())).isEmpty();
        assertThat(MessageIds.acceptedAt("not-a-uuid")).isEmpty();
    }
}
