package io.chatstream.session.relay;

import io.chatstream.contract.TopicDefinitions;
import io.chatstream.contract.Topics;
import io.chatstream.session.config.SessionConfig;
import io.chatstream.session.kafka.SessionKafkaClients;
import io.chatstream.session.metrics.SessionMetrics;
import io.chatstream.session.tracing.DeliveryTracing;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * The one reader of {@code chat.events}: a plain consumer on its own thread, assigned every
 * partition (each replica serves any session, so each reads every event) and positioned by time
 * rather than by committed offsets, so that a restart refills the replay window.
 */
@ApplicationScoped
public class EventReader {

    private static final Logger LOG = Logger.getLogger(EventReader.class);
    private static final Duration SWEEP_EVERY = Duration.ofSeconds(5);

    private final SessionRelay relay;
    private final Duration replayWindow;
    private final SessionKafkaClients clients;
    private final SessionMetrics metrics;
    private final DeliveryTracing tracing;
    private volatile boolean running;
    private volatile boolean caughtUp;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private final KafkaOutage outage = new KafkaOutage(() -> running);
    private Thread thread;

    @Inject
    public EventReader(
            SessionRelay relay,
            SessionConfig config,
            SessionKafkaClients clients,
            SessionMetrics metrics,
            DeliveryTracing tracing) {
        this(relay, config.replayWindow(), clients, metrics, tracing);
    }

    EventReader(
            SessionRelay relay,
            Duration replayWindow,
            SessionKafkaClients clients,
            SessionMetrics metrics,
            DeliveryTracing tracing) {
        this.relay = relay;
        this.replayWindow = replayWindow;
        this.clients = clients;
        this.metrics = metrics;
        this.tracing = tracing;
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public synchronized void start() {
        running = true;
        thread = new Thread(this::run, "chat-events-reader");
        thread.setDaemon(true);
        thread.start();
    }

    public synchronized void stop() {
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the reader has read up to the end offsets seen at start-up (readiness). */
    public boolean caughtUp() {
        return caughtUp;
    }

    private void run() {
        try (KafkaConsumer<String, byte[]> reader = clients.consumer(SessionKafkaClients.EVENTS_READER);
                // kafka_consumer_* of this reader; its records_lag_max is the relay's consumer lag.
                KafkaClientMetrics readerMetrics = metrics.bind(reader)) {
            consumer = reader;
            outage.retry("create " + Topics.EVENTS, this::ensureTopic);
            ReaderPositions positions =
                    outage.retry("position the reader", () -> ReaderPositions.assign(reader, replayWindow));
            positions.startedAt().forEach((partition, offset) -> relay.readerStartsAt(partition.partition(), offset));
            Instant nextSweep = Instant.now().plus(SWEEP_EVERY);
            while (running) {
                pollOnce(reader, positions);
                if (Instant.now().isAfter(nextSweep)) {
                    relay.sweep();
                    tracing.sweep(System.currentTimeMillis());
                    nextSweep = Instant.now().plus(SWEEP_EVERY);
                }
            }
        } catch (WakeupException | KafkaOutage.Stopped e) {
            // stop() was called.
        } catch (RuntimeException e) {
            LOG.error("the chat.events reader stopped", e);
        }
    }

    private void pollOnce(KafkaConsumer<String, byte[]> reader, ReaderPositions positions) {
        try {
            for (ConsumerRecord<String, byte[]> record : reader.poll(ReaderSettings.POLL_TIMEOUT)) {
                relay(record);
            }
            if (!caughtUp && positions.reached(reader)) {
                caughtUp = true;
                LOG.infof("caught up with %s: relaying live events", Topics.EVENTS);
            }
            outage.recovered();
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            // A broker that is down does not stop the service: keep polling until it is back.
            outage.failed("read " + Topics.EVENTS, e);
            outage.pause();
        }
    }

    private void relay(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            // A tombstone: the session of this stream key was deleted.
            if (record.key() != null) {
                relay.deleted(record.key(), Instant.ofEpochMilli(record.timestamp()));
            }
            return;
        }
        RelayedEvent event;
        try {
            event = EventDecoder.decode(record);
        } catch (RuntimeException e) {
            LOG.warnf("skipped unreadable event %d-%d: %s", record.partition(), record.offset(), e.getMessage());
            return;
        }
        // The start-up refill is history, not delivery: it is not traced.
        boolean traced = caughtUp;
        if (traced) {
            tracing.relaying(record.headers(), event);
        }
        relay.publish(event);
        if (traced && event.isTerminal()) {
            tracing.ended(event, relay.subscribers(event.streamKey()).size());
        }
    }

    private Void ensureTopic() {
        Admin admin = clients.admin(SessionKafkaClients.ADMIN);
        try {
            TopicDefinitions.ensure(admin, List.of(TopicDefinitions.events()), SessionKafkaClients.ADMIN_TIMEOUT);
        } finally {
            // Not the default close, which waits for calls pending on an absent broker.
            admin.close(Duration.ofSeconds(1));
        }
        return null;
    }
}
