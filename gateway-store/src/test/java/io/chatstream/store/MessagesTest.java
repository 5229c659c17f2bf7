package io.chatstream.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.contract.event.ErrorInfo;
import io.chatstream.contract.event.HistoryRecord;
import io.chatstream.contract.event.Usage;
import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MessagesTest {

    @Test
    void aMessageIsPendingUntilItsFirstTerminalWhichNoLaterOneReplaces() throws Exception {
        String session = "s-" + UUID.randomUUID();
        try (Connection connection = TestDatabase.connect()) {
            long generation = Sessions.claim(connection, session, "k-a").generation();
            HistoryRecord pending = pending(session, "m-1");
            Messages.insertPending(connection, pending, generation);
            Messages.insertPending(connection, pending, generation);

            assertThat(Messages.list(connection, generation)).containsExactly(pending);
            assertThat(Messages.pending(connection, generation)).containsExactly(pending);

            HistoryRecord completed = ended(pending, "completed", "the answer", new Usage("vendor", 3, 5, 8), null);
            HistoryRecord failed =
                    ended(pending, "failed", "", null, new ErrorInfo("vendor_unavailable", "down", true));
            assertThat(Messages.end(connection, completed)).isTrue();
            assertThat(Messages.end(connection, failed)).isFalse();

            assertThat(Messages.get(connection, generation, MessagesTest.id(session, "m-1")))
                    .contains(completed);
            assertThat(Messages.pending(connection, generation)).isEmpty();
        }
    }

    @Test
    void aRefusedMessageLeavesHistoryButAnEndedOneStays() throws Exception {
        String session = "s-" + UUID.randomUUID();
        try (Connection connection = TestDatabase.connect()) {
            long generation = Sessions.claim(connection, session, "k-a").generation();
            HistoryRecord refused = pending(session, "m-refused");
            HistoryRecord answered = pending(session, "m-answered");
            Messages.insertPending(connection, refused, generation);
            Messages.insertPending(connection, answered, generation);
            HistoryRecord completed = ended(answered, "completed", "late ack", null, null);
            Messages.end(connection, completed);

            Messages.deletePending(connection, session, refused.messageId());
            Messages.deletePending(connection, session, answered.messageId());

            assertThat(Messages.list(connection, generation)).containsExactly(completed);
        }
    }

    @Test
    void aSessionsMessagesAreListedInTheOrderTheyWereAccepted() throws Exception {
        String session = "s-" + UUID.randomUUID();
        try (Connection connection = TestDatabase.connect()) {
            long generation = Sessions.claim(connection, session, "k-a").generation();
            for (String id : new String[] {"m-3", "m-1", "m-2"}) {
                Messages.insertPending(connection, pending(session, id), generation);
            }
            assertThat(Messages.list(connection, generation))
                    .extracting(HistoryRecord::messageId)
                    .containsExactly(id(session, "m-1"), id(session, "m-2"), id(session, "m-3"));
        }
    }

    @Test
    void anOutcomeWrittenAfterItsSessionWasDeletedBringsNothingBack() throws Exception {
        String session = "s-" + UUID.randomUUID();
        try (Connection connection = TestDatabase.connect()) {
            long generation = Sessions.claim(connection, session, "k-a").generation();
            HistoryRecord pending = pending(session, "m-1");
            Messages.insertPending(connection, pending, generation);
            Sessions.delete(connection, session, "k-a");

            assertThat(Messages.end(connection, ended(pending, "completed", "late", null, null)))
                    .isFalse();
            long next = Sessions.claim(connection, session, "k-a").generation();
            assertThat(Messages.list(connection, next)).isEmpty();
            assertThat(Messages.list(connection, generation)).isEmpty();
        }
    }

    /** Message ids are unique across sessions (UUIDv7 in the gateway): one per (session, name) here. */
    static String id(String session, String name) {
        return session + ":" + name;
    }

    static HistoryRecord pending(String session, String name) {
        String messageId = id(session, name);
        return new HistoryRecord(
                session,
                messageId,
                "bot",
                "openai",
                "question of " + name,
                HistoryRecord.PENDING,
                null,
                null,
                null,
                Instant.now().truncatedTo(ChronoUnit.MILLIS),
                null);
    }

    private static HistoryRecord ended(
            HistoryRecord pending, String status, String answer, Usage usage, ErrorInfo error) {
        return new HistoryRecord(
                pending.sessionId(),
                pending.messageId(),
                pending.bot(),
                pending.provider(),
                pending.question(),
                status,
                answer,
                usage,
                error,
                pending.acceptedAt(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }
}
