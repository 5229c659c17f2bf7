package io.chatstream.simulator.common;

import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts a simulator's streams still open: a stream cancelled or abandoned by the connector must
 * bring the count back to zero, which is how tests prove that cancel closes the vendor connection.
 */
public final class OpenStreams {

    private final AtomicInteger open = new AtomicInteger();

    /**
     * Counts {@code response} open until it ends or its connection closes, whichever comes first.
     *
     * @return what to run when the simulator ends the stream itself in a way Vert.x reports no
     *     callback for (a reset); running it more than once counts once
     */
    public Runnable track(HttpServerResponse response) {
        open.incrementAndGet();
        AtomicBoolean counted = new AtomicBoolean(true);
        Runnable ended = () -> {
            if (counted.getAndSet(false)) {
                open.decrementAndGet();
            }
        };
        response.closeHandler(v -> ended.run());
        response.endHandler(v -> ended.run());
        return ended;
    }

    public int count() {
        return open.get();
    }
}
