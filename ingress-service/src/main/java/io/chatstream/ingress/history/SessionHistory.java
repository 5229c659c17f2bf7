package io.chatstream.ingress.history;

import io.chatstream.contract.Topics;
import io.chatstream.contract.event.EventJson;
import io.chatstream.contract.event.HistoryRecord;
import io.chatstream.runtime.kafka.KafkaTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * The messages of every session, read from {@code chat.history} (last writer wins: the ingress
 * writes a message pending, the connector rewrites it when it ends), with an index by session.
 * Message ids are UUIDv7, so the index keeps a session's messages in the order they were accepted.
 *
 * <p>Every ingress replica holds the whole topic (its retention bounds it: 7 days by default). Past
 * what memory allows, the next step is a database behind the same three calls.
 */
public final class SessionHistory implements AutoCloseable {

    private final KafkaTable table;
    private final Map<String, NavigableSet<String>> messagesBySession = new ConcurrentHashMap<>();

    /** @param reader the table's own {@link KafkaTable#READER} consumer */
    public SessionHistory(Consumer<String, byte[]> reader, Producer<String, byte[]> producer) {
        this.table = new KafkaTable(Topics.HISTORY, reader, producer, KafkaTable.Merge.lastWriterWins(), v -> false);
        table.onChange(this::index);
    }

    public void start() {
        table.start();
    }

    public boolean loaded() {
        return table.loaded();
    }

    public Optional<HistoryRecord> get(String sessionId, String messageId) {
        return table.get(HistoryRecord.key(sessionId, messageId)).map(SessionHistory::decode);
    }

    /** The session's messages, oldest first. */
    public List<HistoryRecord> messages(String sessionId) {
        List<HistoryRecord> records = new ArrayList<>();
        for (String messageId : messagesBySession.getOrDefault(sessionId, new ConcurrentSkipListSet<>())) {
            get(sessionId, messageId).ifPresent(records::add);
        }
        return records;
    }

    /**
     * Completes once Kafka has the pending record, which this replica's history then shows; the
     * request may be written after that, not before. No wait for the table to read it back: the
     * message's next record (the connector's outcome) cannot exist before its request does, so
     * nothing can race this one (docs/benchmarks.md: one fetch less in every 202).
     */
    public CompletableFuture<byte[]> pending(HistoryRecord record) {
        return table.put(HistoryRecord.key(record.sessionId(), record.messageId()), EventJson.encode(record));
    }

    /** Forgets every message of the session. */
    public CompletableFuture<Void> forget(String sessionId) {
        List<CompletableFuture<Void>> deletes = new ArrayList<>();
        for (String messageId : messagesBySession.getOrDefault(sessionId, new ConcurrentSkipListSet<>())) {
            deletes.add(table.delete(HistoryRecord.key(sessionId, messageId)));
        }
        return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new));
    }

    private void index(String key, byte[] value) {
        int slash = key.lastIndexOf('/');
        if (slash < 0) {
            return;
        }
        String sessionId = key.substring(0, slash);
        String messageId = key.substring(slash + 1);
        if (value == null) {
            messagesBySession.computeIfPresent(sessionId, (s, ids) -> {
                ids.remove(messageId);
                return ids.isEmpty() ? null : ids;
            });
        } else {
            messagesBySession
                    .computeIfAbsent(sessionId, s -> new ConcurrentSkipListSet<>())
                    .add(messageId);
        }
    }

    private static HistoryRecord decode(byte[] json) {
        return EventJson.decode(json, HistoryRecord.class);
    }

    @Override
    public void close() {
        table.close();
    }
}
