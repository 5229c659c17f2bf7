package io.chatstream.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.contract.event.HistoryRecord;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RetentionTest {

    @Test
    void aSweepForgetsMessagesAndKeysOlderThanTheirRetentionAndNothingNewer() throws Exception {
        String session = "s-" + UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (Connection connection = TestDatabase.connect()) {
            long generation = Sessions.claim(connection, session, "k-a").generation();
            HistoryRecord old = at(MessagesTest.pending(session, "m-old"), now.minus(Duration.ofDays(8)));
            HistoryRecord recent = at(MessagesTest.pending(session, "m-new"), now.minus(Duration.ofDays(6)));
            Messages.insertPending(connection, old, generation);
            Messages.insertPending(connection, recent, generation);
            IdempotencyKeys.claim(
                    connection,
                    "old-" + session,
                    generation,
                    new IdempotencyKeys.KeyedMessage(
                            MessagesTest.id(session, "m-old"), "h", now.minus(Duration.ofHours(25))));
            IdempotencyKeys.claim(
                    connection,
                    "new-" + session,
                    generation,
                    new IdempotencyKeys.KeyedMessage(
                            MessagesTest.id(session, "m-new"), "h", now.minus(Duration.ofHours(23))));

            while (Retention.sweepMessages(connection, Duration.ofDays(7), now) > 0) {}
            while (Retention.sweepIdempotencyKeys(connection, Duration.ofHours(24), now) > 0) {}

            assertThat(Messages.list(connection, generation)).containsExactly(recent);
            IdempotencyKeys.KeyedMessage fresh =
                    new IdempotencyKeys.KeyedMessage(MessagesTest.id(session, "m-again"), "h", now);
            assertThat(IdempotencyKeys.claim(connection, "old-" + session, generation, fresh))
                    .isEqualTo(fresh);
            assertThat(IdempotencyKeys.claim(connection, "new-" + session, generation, fresh)
                            .messageId())
                    .isEqualTo(MessagesTest.id(session, "m-new"));
        }
    }

    private static HistoryRecord at(HistoryRecord record, Instant acceptedAt) {
        return new HistoryRecord(
                record.sessionId(),
                record.messageId(),
                record.bot(),
                record.provider(),
                record.question(),
                record.status(),
                null,
                null,
                null,
                acceptedAt,
                null);
    }
}
