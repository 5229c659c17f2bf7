package io.chatstream.session.websocket;

import io.chatstream.contract.stream.CloseCodes;
import io.chatstream.session.config.SessionConfig;
import io.chatstream.session.relay.SessionRelay;
import io.chatstream.session.relay.Subscriber;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;

/**
 * Closes streams whose client has been silent (no pong to the server's pings, nothing else)
 * longer than {@code gateway.session.idle-timeout}: a peer that vanished without a FIN would
 * otherwise hold its place and its queue until TCP gives up, which can take hours.
 */
@ApplicationScoped
public class LivenessSweep {

    private final SessionRelay relay;
    private final Duration idleTimeout;
    private final Vertx vertx;
    private long timer = -1;

    public LivenessSweep(SessionRelay relay, SessionConfig config, Vertx vertx) {
        this.relay = relay;
        this.idleTimeout = config.idleTimeout();
        this.vertx = vertx;
    }

    void onStart(@Observes StartupEvent event) {
        // A tenth of the limit: a dead peer is closed at most 10% later than the limit says.
        long every = Math.max(100, idleTimeout.toMillis() / 10);
        timer = vertx.setPeriodic(every, id -> sweep());
    }

    void onStop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(timer);
    }

    void sweep() {
        long limit = idleTimeout.toNanos();
        for (Subscriber subscriber : relay.subscribers()) {
            if (subscriber instanceof ConnectionSubscriber connection && connection.silentNanos() > limit) {
                connection.close(CloseCodes.NORMAL, "idle: no pong within " + idleTimeout.toSeconds() + "s");
            }
        }
    }
}
