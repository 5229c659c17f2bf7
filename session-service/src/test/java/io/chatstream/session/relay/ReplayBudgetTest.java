package io.chatstream.session.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.contract.event.MessageEvent;
import io.chatstream.contract.event.MessageIds;
import io.chatstream.session.metrics.SessionMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The memory of all sessions' replay buffers together stays within one budget, oldest first out. */
class ReplayBudgetTest {

    private static final String TEXT = "x".repeat(600);
    private static final long EVENT_BYTES = 1_000 + ReplayBudget.OVERHEAD_BYTES;

    private final Instant now = Instant.parse("2026-11-21T10:00:00Z");
    private final List<CatchUp> catchUps = new ArrayList<>();
    private long offset;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private SessionRelay relay(long maxBytes, Duration window) {
        return new SessionRelay(
                10_000,
                maxBytes,
                window,
                new SessionMetrics(registry),
                Clock.fixed(now, ZoneOffset.UTC),
                catchUps::add);
    }

    @Test
    void manySessionsTogetherStayWithinTheBudgetAndTheOldestGoFirst() {
        // Room for 100 events of this size and their 10 sessions; 40 sessions write 10 each, in turn.
        SessionRelay relay =
                relay(100 * sizeOf(event("probe")) + 10 * ReplayBudget.SESSION_BYTES, Duration.ofMinutes(10));
        for (int s = 0; s < 40; s++) {
            for (int i = 0; i < 10; i++) {
                relay.publish(event("s-" + s));
            }
        }

        int kept = 0;
        for (int s = 0; s < 40; s++) {
            kept += relay.bufferedEvents("s-" + s);
        }
        assertThat(kept).isEqualTo(100);
        // The 10 newest sessions are whole, every older one is gone.
        assertThat(relay.bufferedEvents("s-39")).isEqualTo(10);
        assertThat(relay.bufferedEvents("s-30")).isEqualTo(10);
        assertThat(relay.bufferedEvents("s-29")).isZero();
        assertThat(relay.bufferedEvents("s-0")).isZero();
        // What an operator sees of it.
        assertThat(registry.get("gateway.session.replay.events").gauge().value())
                .isEqualTo(100);
        assertThat(registry.get("gateway.session.replay").gauge().value())
                .isBetween(
                        100.0 * EVENT_BYTES + 10 * ReplayBudget.SESSION_BYTES,
                        100.0 * sizeOf(event("probe")) + 10 * ReplayBudget.SESSION_BYTES);
        assertThat(relay.sessionsHeld()).isEqualTo(10);
    }

    @Test
    void aCursorWhoseEventWasForgottenIsServedFromKafka() {
        SessionRelay relay = relay(5 * sizeOf(event("probe")), Duration.ofMinutes(10));
        RelayedEvent old = event("s-old");
        relay.publish(old);
        for (int i = 0; i < 5; i++) {
            relay.publish(event("s-busy"));
        }
        assertThat(relay.bufferedEvents("s-old")).isZero();

        relay.subscribe("s-old", new StreamStart.AfterCursor(old.cursor()), new NoClient());

        assertThat(catchUps).hasSize(1);
    }

    @Test
    void eventsOlderThanTheWindowGoEvenWithinTheBudget() {
        Instant earlier = now.minus(Duration.ofMinutes(2));
        SessionRelay relay = relay(1L << 30, Duration.ofMinutes(1));
        relay.publish(event("s-1", earlier));
        relay.publish(event("s-2", now));

        assertThat(relay.bufferedEvents("s-1")).isZero();
        assertThat(relay.bufferedEvents("s-2")).isEqualTo(1);
    }

    /**
     * 10,000 sessions of one short answer each into a budget with room for about 100 of them:
     * the sessions go with their events, so what is held stays within the budget however many
     * sessions came (before, each session's objects stayed for the whole window, outside it).
     */
    @Test
    void sessionsCountAgainstTheBudgetAndGoWithTheirLastEvent() {
        long perSession =
                2 * (ReplayBudget.OVERHEAD_BYTES + 200) + ReplayBudget.START_BYTES + ReplayBudget.SESSION_BYTES;
        long budget = 100 * perSession;
        SessionRelay relay = relay(budget, Duration.ofMinutes(10));

        for (int s = 0; s < 10_000; s++) {
            String messageId = MessageIds.newId(now);
            relay.publish(event("s-" + s, messageId, MessageEvent.STARTED));
            relay.publish(event("s-" + s, messageId, MessageEvent.COMPLETED));
            assertThat(registry.get("gateway.session.replay").gauge().value()).isLessThanOrEqualTo(budget);
        }

        assertThat(relay.sessionsHeld()).isBetween(90, 110);
        assertThat(relay.bufferedEvents("s-9999")).isEqualTo(2);
    }

    @Test
    void aSessionWhoseAnswerIsInProgressKeepsItsStartAfterItsEventsWereForgotten() {
        SessionRelay relay = relay(20 * sizeOf(event("probe")), Duration.ofMinutes(10));
        String streaming = MessageIds.newId(now);
        RelayedEvent started = event("s-long", streaming, MessageEvent.STARTED);
        relay.publish(started);
        for (int i = 0; i < 100; i++) {
            relay.publish(event("s-" + i));
        }
        assertThat(relay.bufferedEvents("s-long")).isZero();

        // A late joiner of the answer: Kafka gives it from its start, then it is live.
        relay.subscribe("s-long", new StreamStart.FromMessage(streaming), new NoClient());

        assertThat(catchUps).singleElement().satisfies(c -> assertThat(c.fromOffset())
                .isEqualTo(started.offset()));
    }

    @Test
    void aMessageThatEndedAndWasForgottenForRoomIsExpiredNotAwaited() {
        SessionRelay relay = relay(20 * sizeOf(event("probe")), Duration.ofMinutes(10));
        String answered = MessageIds.newId(now.minusSeconds(1));
        relay.publish(event("s-done", answered, MessageEvent.STARTED));
        relay.publish(event("s-done", answered, MessageEvent.COMPLETED));
        for (int i = 0; i < 100; i++) {
            relay.publish(event("s-" + i));
        }
        assertThat(relay.sessionsHeld()).isLessThan(25);
        List<RelayedEvent> got = new ArrayList<>();

        relay.subscribe("s-done", new StreamStart.FromMessage(answered), new NoClient() {
            @Override
            public void deliver(RelayedEvent event) {
                got.add(event);
            }
        });

        assertThat(got).singleElement().satisfies(e -> assertThat(e.frame()).contains(SessionReplay.CURSOR_EXPIRED));
        assertThat(catchUps).isEmpty();
    }

    private long sizeOf(RelayedEvent event) {
        assertThat(ReplayBudget.sizeOf(event)).isGreaterThanOrEqualTo(EVENT_BYTES);
        return ReplayBudget.sizeOf(event);
    }

    private RelayedEvent event(String sessionId) {
        return event(sessionId, now);
    }

    private RelayedEvent event(String sessionId, Instant time) {
        long at = offset++;
        String messageId = MessageIds.newId(time);
        Cursor cursor = new Cursor(0, at);
        String frame = "{\"type\":\"message.delta\",\"sessionId\":\"" + sessionId + "\",\"text\":\"" + TEXT + "\"}";
        return new RelayedEvent(sessionId, sessionId, messageId, MessageEvent.DELTA, cursor, time, frame, at, TEXT);
    }

    private RelayedEvent event(String sessionId, String messageId, String type) {
        long at = offset++;
        String frame =
                "{\"type\":\"" + type + "\",\"sessionId\":\"" + sessionId + "\",\"x\":\"" + "y".repeat(100) + "\"}";
        return new RelayedEvent(sessionId, sessionId, messageId, type, new Cursor(0, at), now, frame, at, null);
    }

    private static class NoClient implements Subscriber {
        @Override
        public void deliver(RelayedEvent event) {}

        @Override
        public void close(int code, String reason) {}
    }
}
