package io.chatstream.connector.stream;

import io.vertx.core.Vertx;
import java.time.Duration;

/** The one pending deadline of a stream (a timeout, or the next retry): setting one replaces it. */
final class StreamTimer {

    private final Vertx vertx;
    private long id = -1;

    StreamTimer(Vertx vertx) {
        this.vertx = vertx;
    }

    void schedule(Duration delay, Runnable action) {
        cancel();
        id = vertx.setTimer(Math.max(1, delay.toMillis()), fired -> action.run());
    }

    void cancel() {
        if (id >= 0) {
            vertx.cancelTimer(id);
            id = -1;
        }
    }
}
