package io.chatstream.connector.requests;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    @Test
    void nothingToCommitBeforeAnything() {
        assertThat(new OffsetTracker().committable()).isEmpty();
    }

    @Test
    void commitsUpToTheOldestUnfinishedRequest() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.track(10);
        tracker.track(11);
        tracker.track(12);
        assertThat(tracker.committable()).hasValue(10);

        tracker.done(11); // a later one finishing first moves nothing
        assertThat(tracker.committable()).hasValue(10);

        tracker.done(10);
        assertThat(tracker.committable()).hasValue(12);

        tracker.done(12);
        assertThat(tracker.committable()).hasValue(13);
        assertThat(tracker.unfinished()).isZero();
    }

    @Test
    void anOffsetAlreadyCommittedIsNotOfferedAgain() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.track(0);
        tracker.done(0);
        assertThat(tracker.committable()).hasValue(1);
        tracker.committed(1);
        assertThat(tracker.committable()).isEmpty();
        tracker.track(1);
        assertThat(tracker.committable()).isEmpty(); // 1 is still unfinished: the commit stays at 1
        tracker.done(1);
        assertThat(tracker.committable()).hasValue(2);
    }

    @Test
    void finishingAnUnknownOffsetChangesNothing() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.track(5);
        tracker.done(99);
        assertThat(tracker.committable()).hasValue(5);
    }

    @Test
    void aRequestReadAgainWhileInFlightIsRecognisedAndStillHoldsTheCommit() {
        OffsetTracker tracker = new OffsetTracker();
        assertThat(tracker.track(7)).isTrue();
        tracker.track(8);
        tracker.done(8);
        // The partition was revoked and came back: both are read again from the committed 7.
        assertThat(tracker.track(7)).as("7 is still in flight").isFalse();
        assertThat(tracker.track(8)).as("8 was done: taken again").isTrue();
        tracker.done(8);
        assertThat(tracker.committable()).hasValue(7);
        tracker.done(7);
        assertThat(tracker.committable()).hasValue(9);
    }
}
