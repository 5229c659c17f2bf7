package io.chatstream.connector.history;

import io.chatstream.connector.database.DatabaseExecutor;
import io.chatstream.contract.event.HistoryRecord;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.contract.event.MessageIds;
import io.chatstream.store.Messages;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Records a message's outcome on its {@code messages} row, which the ingress wrote {@code pending}
 * before the request existed. The first terminal wins (a connector that lost the message in a
 * rebalance changes nothing), and a message whose session was deleted is not brought back.
 *
 * <p>After the fact: the terminal event on {@code chat.events} is the truth clients get, and it is
 * published before this runs; the request's offset does not wait for this write. The write is
 * tried again for as long as the database is away ({@link DatabaseExecutor#write}: the request
 * loops stop taking requests while such writes fill the queue); one that dies with this instance
 * (stopped or killed before the database came back) leaves the row {@code pending}: a warning,
 * and {@code gateway_connector_database_failures_total{operation="history"}} counts it.
 */
@ApplicationScoped
public class PostgresMessageHistory implements MessageHistory {

    private final DatabaseExecutor database;

    public PostgresMessageHistory(DatabaseExecutor database) {
        this.database = database;
    }

    @Override
    public void ended(String bot, String provider, String question, MessageEvent.Terminal terminal) {
        HistoryRecord record = HistoryRecord.ended(
                bot,
                provider,
                question,
                MessageIds.acceptedAt(terminal.messageId()).orElse(null),
                terminal);
        database.write(terminal.sessionId(), "history", connection -> Messages.end(connection, record));
    }
}
