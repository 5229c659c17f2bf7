package io.chatstream.ingress.store;

import io.chatstream.ingress.config.IngressConfig;
import io.chatstream.store.Retention;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Deletes history and Idempotency-Keys past their retention, on every ingress replica: the sweeps
 * skip rows another replica is deleting, so replicas share the work instead of repeating it.
 */
@ApplicationScoped
public class RetentionSweeper {

    private static final Logger LOG = Logger.getLogger(RetentionSweeper.class);

    private final IngressConfig config;
    private final Database database;
    private ScheduledExecutorService timer;

    public RetentionSweeper(IngressConfig config, Database database) {
        this.config = config;
        this.database = database;
    }

    void onStart(@Observes StartupEvent event) {
        timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "retention-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        long every = config.limits().retentionSweepInterval().toMillis();
        timer.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** One sweep: batches until a batch comes back short. */
    public void sweep() {
        try {
            Instant now = Instant.now();
            int messages = 0;
            int batch;
            do {
                batch = database.inTransaction(
                        c -> Retention.sweepMessages(c, config.limits().historyRetention(), now));
                messages += batch;
            } while (batch > 0 && !Thread.currentThread().isInterrupted());
            int keys = 0;
            do {
                batch = database.inTransaction(
                        c -> Retention.sweepIdempotencyKeys(c, config.limits().idempotencyRetention(), now));
                keys += batch;
            } while (batch > 0 && !Thread.currentThread().isInterrupted());
            if (messages + keys > 0) {
                LOG.infof("retention: %d messages and %d Idempotency-Keys forgotten", messages, keys);
            }
        } catch (RuntimeException e) {
            // The database is away: the next sweep does it.
            LOG.warnf("retention sweep failed: %s", e.getMessage());
        }
    }
}
