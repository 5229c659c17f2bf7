package io.chatstream.session.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.contract.event.MessageEvent;
import io.chatstream.contract.event.MessageIds;
import io.chatstream.contract.stream.CloseCodes;
import io.chatstream.session.metrics.SessionMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A deleted session's stream ends: its clients are closed, its events forgotten, its tokens refused. */
class SessionDeleteTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-08T10:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SessionRelay relay = new SessionRelay(
            100,
            64L << 20,
            Duration.ofMinutes(10),
            Duration.ofMinutes(15),
            new SessionMetrics(registry),
            clock,
            catchUp -> {});
    private long offset;

    @Test
    void itsClientsAreClosedAndItsEventsForgottenWhileOtherSessionsGoOn() {
        Client mine = new Client();
        Client other = new Client();
        relay.subscribe("key-a", new StreamStart.InProgress(), mine);
        relay.subscribe("key-b", new StreamStart.InProgress(), other);
        relay.publish(event("key-a"));
        relay.publish(event("key-b"));

        relay.deleted("key-a", now.get());
        relay.publish(event("key-a")); // a connector's late write, after the delete
        relay.publish(event("key-b"));

        assertThat(mine.closedWith).isEqualTo(CloseCodes.SESSION_DELETED);
        assertThat(mine.events).hasSize(1);
        assertThat(relay.bufferedEvents("key-a")).isZero();
        assertThat(other.closedWith).isNull();
        assertThat(other.events).hasSize(2);
        assertThat(registry.get("gateway.session.connections").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void aTokenMintedBeforeTheDeleteIsRefusedUntilItCouldNoLongerBeUsed() {
        relay.deleted("key-a", now.get());
        Client late = new Client();
        relay.subscribe("key-a", new StreamStart.InProgress(), late);
        assertThat(late.closedWith).isEqualTo(CloseCodes.SESSION_DELETED);

        now.set(now.get().plus(Duration.ofMinutes(16)));
        relay.sweep();
        Client afterExpiry = new Client();
        relay.subscribe("key-a", new StreamStart.InProgress(), afterExpiry);
        assertThat(afterExpiry.closedWith).isNull();
    }

    private RelayedEvent event(String streamKey) {
        long at = offset++;
        String messageId = MessageIds.newId(now.get());
        return new RelayedEvent(
                streamKey, "s-1", messageId, MessageEvent.DELTA, new Cursor(0, at), now.get(), "{}", at, "x");
    }

    private static final class Client implements Subscriber {
        final List<RelayedEvent> events = new ArrayList<>();
        Integer closedWith;

        @Override
        public void deliver(RelayedEvent event) {
            events.add(event);
        }

        @Override
        public void close(int code, String reason) {
            closedWith = code;
        }
    }
}
