package io.chatstream.session.relay;

import io.chatstream.contract.stream.CloseCodes;
import io.chatstream.runtime.config.GatewayConfig;
import io.chatstream.session.config.SessionConfig;
import io.chatstream.session.metrics.SessionMetrics;
import io.chatstream.session.metrics.SessionMetrics.ResumeResult;
import io.chatstream.session.metrics.SessionMetrics.ResumeSource;
import io.micrometer.core.instrument.Counter;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Fans each event of {@code chat.events} out to the subscribers of its session, and keeps every
 * session's recent events for replays. Subscribers are found by session, never by scanning all
 * connections. Replays that need more than memory are handed to the catch-up readers.
 */
// Eager, so that its meters exist (at zero) before the first event or connection.
@Startup
@ApplicationScoped
public class SessionRelay {

    private final ConcurrentHashMap<String, SessionReplay> sessions = new ConcurrentHashMap<>();
    // Per partition, the last offset whose event was appended: where replay ends and live begins
    // for sessions this replica holds nothing of (evicted, or older than its start-up).
    private final ConcurrentHashMap<Integer, Long> relayedUpTo = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final Counter relayed;
    private final Counter catchUps;
    private final SessionMetrics metrics;
    private final int maxEvents;
    private final Duration window;
    private final ReplayBudget budget;
    private final Clock clock;
    private final Consumer<CatchUp> catchUpReaders;
    private final DeletedSessions deleted;

    @Inject
    public SessionRelay(SessionConfig config, GatewayConfig gateway, SessionMetrics metrics, CatchUpReaders readers) {
        this(
                config.replayMaxEventsPerSession(),
                config.replayMaxBytes().asLongValue(),
                config.replayWindow(),
                gateway.streamToken().ttl(),
                metrics,
                Clock.systemUTC(),
                readers::submit);
    }

    SessionRelay(
            int maxEvents,
            long maxBytes,
            Duration window,
            SessionMetrics metrics,
            Clock clock,
            Consumer<CatchUp> readers) {
        this(maxEvents, maxBytes, window, window, metrics, clock, readers);
    }

    /** @param tokenTtl how long a stream token minted before a session's delete could still be used */
    SessionRelay(
            int maxEvents,
            long maxBytes,
            Duration window,
            Duration tokenTtl,
            SessionMetrics metrics,
            Clock clock,
            Consumer<CatchUp> readers) {
        this.deleted = new DeletedSessions(tokenTtl);
        this.maxEvents = maxEvents;
        this.window = window;
        this.budget = new ReplayBudget(maxBytes, window);
        this.clock = clock;
        this.catchUpReaders = readers;
        this.metrics = metrics;
        metrics.countConnections(connections);
        metrics.replayMemory(budget::bytes, budget::events);
        this.relayed = metrics.eventsRelayed();
        this.catchUps = metrics.replaysFromKafka();
    }

    /** The live reader starts {@code partition} at {@code offset}: what precedes it is history. */
    public void readerStartsAt(int partition, long offset) {
        relayedUpTo.merge(partition, offset - 1, Math::max);
    }

    /** Called by the Kafka reader, in partition order. */
    public void publish(RelayedEvent event) {
        Instant now = clock.instant();
        // What a connector still writes after the session's delete (its cancelled end) is not kept.
        if (!deleted.contains(event.streamKey())) {
            while (!session(event.streamKey()).append(event, now)) {
                // Retired between lookup and append by sweep(): the next lookup makes a fresh one.
            }
            budget.kept(event, now, sessions);
        }
        // After the append: a subscriber that reads this offset finds the event in memory.
        relayedUpTo.put(event.cursor().partition(), event.offset());
        relayed.increment();
    }

    /**
     * The session was deleted (its tombstone on {@code chat.events}): its clients are closed with
     * {@link CloseCodes#SESSION_DELETED}, its events forgotten, and its stream tokens refused.
     */
    public void deleted(String streamKey, Instant at) {
        deleted.add(streamKey, at);
        SessionReplay replay = sessions.remove(streamKey);
        if (replay != null) {
            List<Subscriber> subscribers = replay.delete();
            connections.addAndGet(-subscribers.size());
            subscribers.forEach(subscriber -> subscriber.close(CloseCodes.SESSION_DELETED, "session deleted"));
        }
    }

    public void subscribe(String streamKey, StreamStart start, Subscriber subscriber) {
        if (deleted.contains(streamKey)) {
            subscriber.close(CloseCodes.SESSION_DELETED, "session deleted");
            return;
        }
        Optional<CatchUp> catchUp;
        do {
            catchUp = session(streamKey).subscribe(subscriber, start, clock.instant());
            // null: retired, same retry as publish().
        } while (catchUp == null);
        connections.incrementAndGet();
        countResumeFromMemory(start, catchUp);
        if (deleted.contains(streamKey)) {
            // Deleted while this subscribed: deleted() may have missed it.
            unsubscribe(streamKey, subscriber);
            subscriber.close(CloseCodes.SESSION_DELETED, "session deleted");
            return;
        }
        catchUp.ifPresent(this::catchUp);
    }

    public void unsubscribe(String streamKey, Subscriber subscriber) {
        SessionReplay replay = sessions.get(streamKey);
        if (replay != null && replay.unsubscribe(subscriber)) {
            connections.decrementAndGet();
        }
    }

    /** Forgets sessions without subscribers whose events are all older than the replay window. */
    public void sweep() {
        deleted.sweep(clock.instant());
        sessions.forEach((streamKey, replay) -> {
            if (replay.retireIfIdle(clock.instant())) {
                sessions.remove(streamKey, replay);
            }
        });
    }

    /** Events kept for one session (for tests and diagnostics). */
    public int bufferedEvents(String streamKey) {
        SessionReplay replay = sessions.get(streamKey);
        return replay == null ? 0 : replay.size();
    }

    /** Sessions held in memory, with events, subscribers or messages in progress (for tests and diagnostics). */
    public int sessionsHeld() {
        return sessions.size();
    }

    /** The subscribers of one session, oldest first (for tests and diagnostics). */
    public List<Subscriber> subscribers(String streamKey) {
        SessionReplay replay = sessions.get(streamKey);
        return replay == null ? List.of() : replay.subscribers();
    }

    /** Every subscriber of every session (for the liveness sweep and the shutdown). */
    public List<Subscriber> subscribers() {
        return sessions.values().stream()
                .map(SessionReplay::subscribers)
                .flatMap(List::stream)
                .toList();
    }

    // Fired before the HTTP server stops (quarkus.shutdown.delay-enabled): by ShutdownEvent the
    // server has already closed every WebSocket with a plain 1000, which says "do not come back".
    void onShutdownRequested(@Observes ShutdownDelayInitiatedEvent event) {
        closeAll();
    }

    void onShutdown(@Observes ShutdownEvent event) {
        closeAll();
    }

    /** Tells clients to reconnect with their cursor (to another replica), and waits a little. */
    private void closeAll() {
        subscribers().forEach(subscriber -> subscriber.close(CloseCodes.RECONNECT, "server shutting down"));
        // Until the clients acknowledged (each close handshake unsubscribes) or for 3 s at most.
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (connections.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void catchUp(CatchUp catchUp) {
        catchUps.increment();
        catchUpReaders.accept(catchUp);
    }

    /**
     * A {@code cursor=} reconnect that memory answered: the cursor was in memory (served) or
     * unreadable (expired). One that Kafka must check is counted by {@link CatchUpRead}.
     */
    private void countResumeFromMemory(StreamStart start, Optional<CatchUp> catchUp) {
        if (start instanceof StreamStart.AfterCursor after
                && catchUp.map(c -> c.validate() == null).orElse(true)) {
            metrics.resumed(
                    ResumeSource.MEMORY, after.cursor() == null ? ResumeResult.CURSOR_EXPIRED : ResumeResult.SERVED);
        }
    }

    private SessionReplay session(String streamKey) {
        return sessions.computeIfAbsent(
                streamKey,
                id -> new SessionReplay(
                        id,
                        maxEvents,
                        window,
                        partition -> relayedUpTo.getOrDefault(partition, -1L),
                        budget::forgottenUpTo));
    }
}
