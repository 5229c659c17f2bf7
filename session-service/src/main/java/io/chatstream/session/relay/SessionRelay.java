package io.chatstream.session.relay;

import io.chatstream.session.config.SessionConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fans each event of {@code chat.events} out to the subscribers of its session, and keeps every
 * session's recent events for replays. Subscribers are found by session, never by scanning all
 * connections.
 */
// Eager, so that its meters exist (at zero) before the first event or connection.
@Startup
@ApplicationScoped
public class SessionRelay {

    private final ConcurrentHashMap<String, SessionReplay> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final Counter relayed;
    private final int maxEvents;
    private final Duration window;
    private final Clock clock;

    @Inject
    public SessionRelay(SessionConfig config, MeterRegistry registry) {
        this(config.stream().replayMaxEventsPerSession(), config.stream().replayWindow(), registry, Clock.systemUTC());
    }

    SessionRelay(int maxEvents, Duration window, MeterRegistry registry, Clock clock) {
        this.maxEvents = maxEvents;
        this.window = window;
        this.clock = clock;
        registry.gauge("gateway.session.connections", connections);
        this.relayed = Counter.builder("gateway.session.events.relayed")
                .description("Events read from chat.events and handed to their session's subscribers")
                .register(registry);
    }

    /** Called by the Kafka reader, in partition order. */
    public void publish(RelayedEvent event) {
        while (!session(event.sessionId()).append(event, clock.instant())) {
            // Retired between lookup and append by sweep(): the next lookup makes a fresh one.
        }
        relayed.increment();
    }

    public void subscribe(String sessionId, StreamStart start, Subscriber subscriber) {
        while (!session(sessionId).subscribe(subscriber, start, clock.instant())) {
            // Same retry as publish().
        }
        connections.incrementAndGet();
    }

    public void unsubscribe(String sessionId, Subscriber subscriber) {
        SessionReplay replay = sessions.get(sessionId);
        if (replay != null && replay.unsubscribe(subscriber)) {
            connections.decrementAndGet();
        }
    }

    /** Forgets sessions without subscribers whose events are all older than the replay window. */
    public void sweep() {
        sessions.forEach((sessionId, replay) -> {
            if (replay.retireIfIdle(clock.instant())) {
                sessions.remove(sessionId, replay);
            }
        });
    }

    /** Events kept for one session (for tests and diagnostics). */
    public int bufferedEvents(String sessionId) {
        SessionReplay replay = sessions.get(sessionId);
        return replay == null ? 0 : replay.size();
    }

    void onShutdown(@Observes ShutdownEvent event) {
        // 1001 tells clients to reconnect with their cursor, to another replica or to this one.
        sessions.values().stream()
                .map(SessionReplay::subscribers)
                .flatMap(List::stream)
                .forEach(subscriber -> subscriber.close(1001, "server shutting down"));
    }

    private SessionReplay session(String sessionId) {
        return sessions.computeIfAbsent(sessionId, id -> new SessionReplay(maxEvents, window));
    }
}
