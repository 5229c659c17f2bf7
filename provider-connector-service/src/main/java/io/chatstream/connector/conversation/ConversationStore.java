package io.chatstream.connector.conversation;

import io.chatstream.connector.kafka.ConnectorKafkaClients;
import io.chatstream.connector.kafka.StateProducer;
import io.chatstream.contract.ConversationKey;
import io.chatstream.contract.Topics;
import io.chatstream.contract.event.EventJson;
import io.chatstream.provider.Conversation;
import io.chatstream.runtime.kafka.KafkaTable;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The vendor conversations of every gateway session, keyed by {@link ConversationKey} on the
 * compacted {@code chat.conversations} topic (last writer wins). Every connector instance reads the
 * whole topic, so whichever instance gets a session's next message continues its conversation.
 *
 * <p>A save is visible to this instance at once (the next message of a session usually comes to the
 * same instance) and reaches Kafka asynchronously; if the instance dies in the few milliseconds
 * before Kafka has it, the next message starts a new vendor conversation, which is degraded but
 * not broken.
 */
@ApplicationScoped
public class ConversationStore implements Conversations {

    private static final Logger LOG = Logger.getLogger(ConversationStore.class);

    private final KafkaTable table;
    /** Saves not yet read back from the topic: they win over the table. */
    private final Map<String, byte[]> unconfirmed = new ConcurrentHashMap<>();

    private boolean started;

    public ConversationStore(ConnectorKafkaClients clients, StateProducer producer) {
        this.table = new KafkaTable(
                Topics.CONVERSATIONS,
                clients.consumer(KafkaTable.READER),
                producer.producer(),
                KafkaTable.Merge.lastWriterWins(),
                v -> false);
    }

    /** Starts reading the topic; call once it exists. */
    public synchronized void start() {
        if (!started) {
            started = true;
            table.start();
        }
    }

    public boolean loaded() {
        return table.loaded();
    }

    /** Waits until the topic is read, so that no message starts with a conversation not yet loaded. */
    public void awaitLoaded(Duration poll, java.util.function.BooleanSupplier stopping) {
        while (!table.loaded() && !stopping.getAsBoolean()) {
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public Conversation get(String bot, String sessionId) {
        String key = new ConversationKey(bot, sessionId).toString();
        byte[] value = unconfirmed.get(key);
        if (value == null) {
            value = table.get(key).orElse(null);
        }
        return value == null ? Conversation.empty() : EventJson.decode(value, Conversation.class);
    }

    @Override
    public void save(String bot, String sessionId, Conversation conversation) {
        String key = new ConversationKey(bot, sessionId).toString();
        byte[] value = EventJson.encode(conversation);
        unconfirmed.put(key, value);
        table.write(key, value).whenComplete((kept, error) -> {
            unconfirmed.remove(key, value);
            if (error != null) {
                LOG.warnf("the conversation of bot %s was not saved: %s", bot, error.getMessage());
            }
        });
    }

    @PreDestroy
    void close() {
        table.close();
    }
}
