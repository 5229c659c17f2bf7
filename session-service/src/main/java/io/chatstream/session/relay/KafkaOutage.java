package io.chatstream.session.relay;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * How the reader lives through a broker that is away: it retries each step, and says so once per
 * outage rather than once per try. Used by the reader thread only.
 */
final class KafkaOutage {

    private static final Logger LOG = Logger.getLogger(EventReader.class);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private final BooleanSupplier running;
    private boolean failing;

    KafkaOutage(BooleanSupplier running) {
        this.running = running;
    }

    /** Runs {@code step} until it succeeds; throws {@link Stopped} if the service stops first. */
    <T> T retry(String what, Supplier<T> step) {
        while (running.getAsBoolean()) {
            try {
                T result = step.get();
                recovered();
                return result;
            } catch (WakeupException e) {
                throw e;
            } catch (RuntimeException e) {
                failed(what, e);
                pause();
            }
        }
        throw new Stopped();
    }

    void failed(String what, RuntimeException e) {
        if (!failing) {
            failing = true;
            LOG.warnf("cannot %s (retrying until Kafka answers): %s", what, e.getMessage());
        }
    }

    void recovered() {
        if (failing) {
            failing = false;
            LOG.info("Kafka answers again");
        }
    }

    void pause() {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped();
        }
    }

    /** Ends the reader thread when the service stops while Kafka is away. */
    static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }
}
