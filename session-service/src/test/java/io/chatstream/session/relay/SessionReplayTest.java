package io.chatstream.session.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.contract.event.MessageEvent;
import io.chatstream.contract.event.MessageIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionReplayTest {

    private static final Duration WINDOW = Duration.ofMinutes(10);

    private final Instant now = Instant.now();
    private final SessionReplay replay = new SessionReplay(100, WINDOW);
    private final String first = MessageIds.newId(now.minusSeconds(5));
    private final String second = MessageIds.newId(now.minusSeconds(1));
    private long offset;

    @Test
    void withoutCursorReplaysOnlyTheMessagesInProgressThenLiveEvents() {
        append(first, MessageEvent.STARTED, MessageEvent.DELTA, MessageEvent.COMPLETED);
        append(second, MessageEvent.STARTED, MessageEvent.DELTA);
        Recorder client = subscribe(new StreamStart.InProgress());

        append(second, MessageEvent.COMPLETED);

        assertThat(client.frames).containsExactly(frame(3), frame(4), frame(5));
    }

    @Test
    void fromAMessageReplaysItWholeEvenAfterItCompleted() {
        append(first, MessageEvent.STARTED, MessageEvent.COMPLETED);
        append(second, MessageEvent.STARTED, MessageEvent.DELTA, MessageEvent.COMPLETED);

        Recorder client = subscribe(new StreamStart.FromMessage(second));

        assertThat(client.frames).containsExactly(frame(2), frame(3), frame(4));
    }

    @Test
    void fromAMessageNotHereYetWaitsForItAndSkipsEarlierOnes() {
        append(first, MessageEvent.STARTED);
        Recorder client = subscribe(new StreamStart.FromMessage(second));

        append(first, MessageEvent.COMPLETED);
        append(second, MessageEvent.STARTED, MessageEvent.DELTA);

        assertThat(client.frames).containsExactly(frame(2), frame(3));
    }

    @Test
    void fromAMessageOlderThanTheWindowIsExpired() {
        append(first, MessageEvent.STARTED);
        String old = MessageIds.newId(now.minus(Duration.ofHours(1)));

        Recorder client = subscribe(new StreamStart.FromMessage(old));

        assertThat(client.frames).containsExactly(SessionReplay.CURSOR_EXPIRED, frame(0));
    }

    @Test
    void afterACursorReplaysExactlyTheLaterEvents() {
        append(first, MessageEvent.STARTED, MessageEvent.DELTA, MessageEvent.DELTA, MessageEvent.COMPLETED);

        Recorder client = subscribe(new StreamStart.AfterCursor(new Cursor(0, 1)));
        append(second, MessageEvent.STARTED);

        assertThat(client.frames).containsExactly(frame(2), frame(3), frame(4));
    }

    @Test
    void anUnknownCursorIsExpiredThenGetsTheMessagesInProgress() {
        append(first, MessageEvent.STARTED, MessageEvent.COMPLETED);
        append(second, MessageEvent.STARTED);

        Recorder unknown = subscribe(new StreamStart.AfterCursor(new Cursor(0, 99)));
        Recorder unparseable = subscribe(new StreamStart.AfterCursor(null));

        assertThat(unknown.frames).containsExactly(SessionReplay.CURSOR_EXPIRED, frame(2));
        assertThat(unparseable.frames).containsExactly(SessionReplay.CURSOR_EXPIRED, frame(2));
    }

    @Test
    void keepsAtMostTheConfiguredNumberOfEvents() {
        SessionReplay small = new SessionReplay(2, WINDOW);
        for (int i = 0; i < 5; i++) {
            small.append(event(first, MessageEvent.DELTA, now), now);
        }
        assertThat(small.size()).isEqualTo(2);
    }

    @Test
    void dropsEventsOlderThanTheWindowAndRetiresWhenIdle() {
        replay.append(event(first, MessageEvent.STARTED, now.minus(Duration.ofMinutes(11))), now);
        assertThat(replay.size()).isZero();

        replay.append(event(first, MessageEvent.DELTA, now), now);
        Recorder client = subscribe(new StreamStart.InProgress());
        assertThat(replay.retireIfIdle(now.plus(WINDOW).plusSeconds(1))).isFalse();

        replay.unsubscribe(client);
        assertThat(replay.retireIfIdle(now.plus(WINDOW).plusSeconds(1))).isTrue();
        assertThat(replay.append(event(first, MessageEvent.DELTA, now), now)).isFalse();
        assertThat(replay.subscribe(new Recorder(), new StreamStart.InProgress(), now))
                .isFalse();
    }

    @Test
    void startChoiceFollowsTheQuery() {
        assertThat(StreamStart.of("m", "1-2")).isEqualTo(new StreamStart.AfterCursor(new Cursor(1, 2)));
        assertThat(StreamStart.of("m", null)).isEqualTo(new StreamStart.FromMessage("m"));
        assertThat(StreamStart.of(null, "")).isEqualTo(new StreamStart.InProgress());
    }

    private void append(String messageId, String... types) {
        for (String type : types) {
            replay.append(event(messageId, type, now), now);
        }
    }

    private RelayedEvent event(String messageId, String type, Instant time) {
        Cursor cursor = new Cursor(0, offset++);
        return new RelayedEvent("s-1", messageId, type, cursor, time, frame(cursor.offset()));
    }

    private static String frame(long offset) {
        return "{\"cursor\":\"0-" + offset + "\"}";
    }

    private Recorder subscribe(StreamStart start) {
        Recorder recorder = new Recorder();
        assertThat(replay.subscribe(recorder, start, now)).isTrue();
        return recorder;
    }

    private static final class Recorder implements Subscriber {
        final List<String> frames = new ArrayList<>();

        @Override
        public void deliver(String frame) {
            frames.add(frame);
        }

        @Override
        public void close(int code, String reason) {}
    }
}
