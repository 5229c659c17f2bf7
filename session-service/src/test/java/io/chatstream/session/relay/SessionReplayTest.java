package io.chatstream.session.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.contract.event.MessageEvent;
import io.chatstream.contract.event.MessageIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SessionReplayTest {

    private static final Duration WINDOW = Duration.ofMinutes(10);
    private static final String EXPIRED =
            RelayedEvent.streamError("s-1", SessionReplay.CURSOR_EXPIRED).frame();

    private final Instant now = Instant.now();
    private SessionReplay replay = new SessionReplay("s-1", 100, WINDOW, partition -> -1, () -> Instant.MIN);
    private final String first = MessageIds.newId(now.minusSeconds(5));
    private final String second = MessageIds.newId(now.minusSeconds(1));
    private final List<RelayedEvent> log = new ArrayList<>();

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

        assertThat(client.frames).containsExactly(EXPIRED, frame(0));
    }

    @Test
    void afterACursorReplaysExactlyTheLaterEvents() {
        append(first, MessageEvent.STARTED, MessageEvent.DELTA, MessageEvent.DELTA, MessageEvent.COMPLETED);

        Recorder client = subscribe(new StreamStart.AfterCursor(new Cursor(0, 1)));
        append(second, MessageEvent.STARTED);

        assertThat(client.frames).containsExactly(frame(2), frame(3), frame(4));
    }

    @Test
    void aCursorMemoryCannotVouchForGoesToKafkaAndIfRefusedGetsExpiredThenTheMessagesInProgress() {
        append(first, MessageEvent.STARTED, MessageEvent.COMPLETED);
        append(second, MessageEvent.STARTED);

        Recorder unknown = new Recorder();
        CatchUp catchUp = replay.subscribe(unknown, new StreamStart.AfterCursor(new Cursor(0, 99)), now)
                .orElseThrow();
        assertThat(catchUp.validate()).isEqualTo(new Cursor(0, 99));
        assertThat(unknown.frames).isEmpty();
        assertThat(replay.expire(catchUp.watch())).isEmpty();
        Recorder unparseable = subscribe(new StreamStart.AfterCursor(null));

        assertThat(unknown.frames).containsExactly(EXPIRED, frame(2));
        assertThat(unparseable.frames).containsExactly(EXPIRED, frame(2));
    }

    @Test
    void aCursorOlderThanMemoryIsFilledInFromKafkaThenMemoryThenLiveWithoutGapOrDuplicate() {
        replay = new SessionReplay("s-1", 3, WINDOW, partition -> -1, () -> Instant.MIN);
        append(first, MessageEvent.STARTED, MessageEvent.DELTA, MessageEvent.DELTA, MessageEvent.DELTA);
        append(first, MessageEvent.DELTA, MessageEvent.DELTA);
        Recorder client = new Recorder();
        CatchUp catchUp = replay.subscribe(client, new StreamStart.AfterCursor(new Cursor(0, 1)), now)
                .orElseThrow();
        assertThat(catchUp.fromOffset()).isEqualTo(1);
        append(first, MessageEvent.DELTA); // live while catching up: held back

        assertThat(replay.caughtUp(catchUp.watch(), List.of(), 2)).isFalse();
        // Kafka reads a little past memory's first event (3): the overlap is not repeated.
        assertThat(replay.caughtUp(catchUp.watch(), List.of(log.get(2), log.get(3)), 4))
                .isTrue();
        append(first, MessageEvent.COMPLETED);

        assertThat(client.frames).containsExactly(frame(2), frame(3), frame(4), frame(5), frame(6), frame(7));
    }

    @Test
    void aMessageInProgressWhoseStartLeftMemoryIsReplayedFromItsStartWithoutEndedMessages() {
        replay = new SessionReplay("s-1", 3, WINDOW, partition -> -1, () -> Instant.MIN);
        append(second, MessageEvent.STARTED);
        append(first, MessageEvent.STARTED, MessageEvent.COMPLETED);
        append(second, MessageEvent.DELTA, MessageEvent.DELTA, MessageEvent.DELTA);
        Recorder client = new Recorder();
        CatchUp catchUp =
                replay.subscribe(client, new StreamStart.InProgress(), now).orElseThrow();
        assertThat(catchUp.fromOffset()).isZero();
        assertThat(catchUp.validate()).isNull();

        assertThat(replay.caughtUp(catchUp.watch(), List.of(log.get(0), log.get(1), log.get(2)), 3))
                .isTrue();
        String third = MessageIds.newId(now);
        append(third, MessageEvent.STARTED);

        assertThat(client.frames).containsExactly(frame(0), frame(3), frame(4), frame(5), frame(6));
    }

    @Test
    void aCursorAheadOfThisReplicasReaderSkipsWhatTheClientHasAlreadySeen() {
        append(first, MessageEvent.STARTED, MessageEvent.DELTA, MessageEvent.DELTA);
        Recorder client = new Recorder();
        // The client got 0-4 from a replica whose reader is ahead of this one's.
        CatchUp catchUp = replay.subscribe(client, new StreamStart.AfterCursor(new Cursor(0, 4)), now)
                .orElseThrow();
        assertThat(replay.caughtUp(catchUp.watch(), List.of(), 5)).isTrue();

        append(first, MessageEvent.DELTA, MessageEvent.DELTA, MessageEvent.DELTA);

        assertThat(client.frames).containsExactly(frame(5));
    }

    @Test
    void aSessionThisReplicaHoldsNothingOfIsReadFromKafkaUpToWhereItsReaderIs() {
        replay = new SessionReplay("s-1", 100, WINDOW, partition -> 41, () -> Instant.MIN);
        Recorder client = new Recorder();
        CatchUp catchUp = replay.subscribe(client, new StreamStart.AfterCursor(new Cursor(0, 7)), now)
                .orElseThrow();

        assertThat(replay.caughtUp(catchUp.watch(), List.of(), 41)).isFalse();
        assertThat(replay.caughtUp(catchUp.watch(), List.of(), 42)).isTrue();
    }

    @Test
    void keepsAtMostTheConfiguredNumberOfEvents() {
        replay = new SessionReplay("s-1", 2, WINDOW, partition -> -1, () -> Instant.MIN);
        for (int i = 0; i < 5; i++) {
            append(first, MessageEvent.DELTA);
        }
        assertThat(replay.size()).isEqualTo(2);
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
                .isNull();
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
        Cursor cursor = new Cursor(0, log.size());
        RelayedEvent event = new RelayedEvent(
                "s-1",
                "s-1",
                messageId,
                type,
                cursor,
                time,
                frame(cursor.offset()),
                0,
                type.equals(MessageEvent.DELTA) ? "x" : null);
        log.add(event);
        return event;
    }

    private static String frame(long offset) {
        return "{\"cursor\":\"0-" + offset + "\"}";
    }

    private Recorder subscribe(StreamStart start) {
        Recorder recorder = new Recorder();
        assertThat(replay.subscribe(recorder, start, now)).isEqualTo(Optional.empty());
        return recorder;
    }

    private static final class Recorder implements Subscriber {
        final List<String> frames = new ArrayList<>();

        @Override
        public void deliver(RelayedEvent event) {
            frames.add(event.frame());
        }

        @Override
        public void close(int code, String reason) {}
    }
}
