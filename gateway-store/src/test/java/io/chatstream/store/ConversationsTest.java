package io.chatstream.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ConversationsTest {

    @Test
    void aConversationFollowsTheSessionFromMessageToMessageAndBotToBot() throws Exception {
        String session = "s-" + UUID.randomUUID();
        try (Connection connection = TestDatabase.connect()) {
            long generation = Sessions.claim(connection, session, "k-a").generation();
            Messages.insertPending(connection, MessagesTest.pending(session, "m-1"), generation);
            Messages.insertPending(connection, MessagesTest.pending(session, "m-2"), generation);

            assertThat(Conversations.get(connection, "bot", session, MessagesTest.id(session, "m-1")))
                    .isEmpty();
            assertThat(Conversations.save(
                            connection, "bot", session, MessagesTest.id(session, "m-1"), "{\"turns\": 1}"))
                    .isTrue();
            assertThat(Conversations.save(
                            connection, "other", session, MessagesTest.id(session, "m-1"), "{\"turns\": 9}"))
                    .isTrue();
            assertThat(Conversations.save(
                            connection, "bot", session, MessagesTest.id(session, "m-2"), "{\"turns\": 2}"))
                    .isTrue();

            assertThat(Conversations.get(connection, "bot", session, MessagesTest.id(session, "m-2")))
                    .contains("{\"turns\": 2}");
            assertThat(Conversations.get(connection, "other", session, MessagesTest.id(session, "m-2")))
                    .contains("{\"turns\": 9}");
        }
    }

    @Test
    void aMessageOfADeletedSessionNeitherSeesNorLeavesAConversation() throws Exception {
        String session = "s-" + UUID.randomUUID();
        try (Connection connection = TestDatabase.connect()) {
            long old = Sessions.claim(connection, session, "k-a").generation();
            Messages.insertPending(connection, MessagesTest.pending(session, "m-old"), old);
            Conversations.save(connection, "bot", session, MessagesTest.id(session, "m-old"), "{\"turns\": 1}");
            Sessions.delete(connection, session, "k-a");
            long renewed = Sessions.claim(connection, session, "k-a").generation();
            Messages.insertPending(connection, MessagesTest.pending(session, "m-new"), renewed);

            // The connector still answering m-old saves after the delete: nothing is kept.
            assertThat(Conversations.save(
                            connection, "bot", session, MessagesTest.id(session, "m-old"), "{\"turns\": 2}"))
                    .isFalse();
            assertThat(Conversations.get(connection, "bot", session, MessagesTest.id(session, "m-new")))
                    .isEmpty();
            assertThat(Conversations.get(connection, "bot", session, MessagesTest.id(session, "m-old")))
                    .isEmpty();
        }
    }

    @Test
    void twoKeysSessionsOfOneIdKeepTheirOwnConversations() throws Exception {
        String session = "s-" + UUID.randomUUID();
        try (Connection connection = TestDatabase.connect()) {
            long mine = Sessions.claim(connection, session, "k-a").generation();
            long theirs = Sessions.claim(connection, session, "k-b").generation();
            Messages.insertPending(connection, MessagesTest.pending(session, "m-a"), mine);
            Messages.insertPending(connection, MessagesTest.pending(session, "m-b"), theirs);

            Conversations.save(connection, "bot", session, MessagesTest.id(session, "m-a"), "{\"of\": \"a\"}");
            Conversations.save(connection, "bot", session, MessagesTest.id(session, "m-b"), "{\"of\": \"b\"}");

            assertThat(Conversations.get(connection, "bot", session, MessagesTest.id(session, "m-a")))
                    .contains("{\"of\": \"a\"}");
            assertThat(Conversations.get(connection, "bot", session, MessagesTest.id(session, "m-b")))
                    .contains("{\"of\": \"b\"}");
            assertThat(Messages.list(connection, mine))
                    .extracting(io.chatstream.contract.event.HistoryRecord::messageId)
                    .containsExactly(MessagesTest.id(session, "m-a"));
        }
    }
}
