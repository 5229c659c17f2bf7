package io.chatstream.session.websocket;

import io.chatstream.session.config.SessionConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The instance's share of streams: past {@code gateway.session.max-connections} a new one is
 * refused with 4002, before it costs a subscription (each holds a queue and a replay).
 */
@ApplicationScoped
public class ConnectionLimit {

    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    public ConnectionLimit(SessionConfig config) {
        this.max = config.maxConnections();
    }

    /** Takes a place; false (and nothing taken) when the instance is full. */
    boolean tryAcquire() {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            return false;
        }
        return true;
    }

    void release() {
        open.decrementAndGet();
    }
}
