package io.chatstream.session.relay;

import io.chatstream.contract.stream.CloseCodes;
import io.chatstream.session.config.SessionConfig;
import io.chatstream.session.kafka.SessionKafkaClients;
import io.chatstream.session.metrics.SessionMetrics;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.jboss.logging.Logger;

/**
 * A small fixed pool of Kafka readers for catch-ups (cursors older than memory, messages whose
 * start memory dropped). Each reader is a thread with its own consumer, kept between catch-ups
 * (a new consumer per reconnect would cost a metadata round trip); catch-ups beyond the pool
 * wait in line. Separate from the live reader, which never waits for a catch-up.
 */
@ApplicationScoped
public class CatchUpReaders {

    static final Duration POLL_TIMEOUT = Duration.ofMillis(100);

    private static final Logger LOG = Logger.getLogger(CatchUpReaders.class);
    private static final CatchUp STOP = new CatchUp(null, null, null, -1, -1, null);

    private final BlockingQueue<CatchUp> queue = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Duration timeout;
    private final SessionKafkaClients clients;
    private final SessionMetrics metrics;

    @Inject
    public CatchUpReaders(SessionConfig config, SessionMetrics metrics, SessionKafkaClients clients) {
        this(config.catchUpReaders(), config.catchUpTimeout(), metrics, clients);
    }

    CatchUpReaders(int readers, Duration timeout, SessionMetrics metrics, SessionKafkaClients clients) {
        this.timeout = timeout;
        this.clients = clients;
        this.metrics = metrics;
        for (int i = 0; i < readers; i++) {
            Thread thread = new Thread(this::work, "chat-events-catch-up-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
    }

    public void submit(CatchUp catchUp) {
        queue.add(catchUp);
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public void stop() {
        threads.forEach(thread -> queue.add(STOP));
    }

    private void work() {
        KafkaConsumer<String, byte[]> consumer = null;
        try {
            for (CatchUp catchUp = queue.take(); catchUp != STOP; catchUp = queue.take()) {
                if (consumer == null) {
                    consumer = clients.consumer(SessionKafkaClients.CATCH_UP_READER);
                }
                Optional<CatchUp> next = Optional.of(catchUp);
                while (next.isPresent()) {
                    next = runOne(consumer, next.get());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (consumer != null) {
                consumer.close(Duration.ofSeconds(1));
            }
        }
    }

    private Optional<CatchUp> runOne(KafkaConsumer<String, byte[]> consumer, CatchUp catchUp) {
        try {
            Optional<CatchUp> next = CatchUpRead.run(consumer, catchUp, timeout, metrics);
            metrics.catchUpEnded(true);
            return next;
        } catch (RuntimeException e) {
            // Kafka away or too slow: the client reconnects with its cursor, to us or a replica.
            LOG.warnf("catch-up from Kafka failed, client told to reconnect: %s", e.getMessage());
            metrics.catchUpEnded(false);
            catchUp.replay()
                    .abandon(catchUp.watch(), CloseCodes.RECONNECT, "replay unavailable, reconnect with your cursor");
            return Optional.empty();
        }
    }
}
