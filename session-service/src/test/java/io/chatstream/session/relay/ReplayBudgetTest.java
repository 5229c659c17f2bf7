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
        // Room for 100 events of this size; 40 sessions write 10 each, one session after another.
        SessionRelay relay = relay(100 * sizeOf(event("probe")), Duration.ofMinutes(10));
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
                .isBetween(100.0 * EVENT_BYTES, 100.0 * sizeOf(event("probe")));
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

    private static final class NoClient implements Subscriber {
        @Override
        public void deliver(RelayedEvent event) {}

        @Override
        public void close(int code, String reason) {}
    }
}
