package io.chatstream.session.relay;

import io.chatstream.contract.event.MessageIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One session's recent events and its subscribers. Every method holds this object's monitor, so
 * "replay a snapshot, then join the live stream" and "append an event, deliver it to everyone"
 * never interleave: a new subscriber sees each event exactly once, without a gap.
 */
final class SessionReplay {

    static final String CURSOR_EXPIRED = "{\"type\":\"stream.error\",\"code\":\"cursor_expired\"}";

    private final int maxEvents;
    private final Duration window;
    private final ArrayDeque<RelayedEvent> events = new ArrayDeque<>();
    private final List<Watch> watches = new ArrayList<>();
    // Set once the relay dropped this object from its map: callers then retry on a fresh one.
    private boolean retired;

    SessionReplay(int maxEvents, Duration window) {
        this.maxEvents = maxEvents;
        this.window = window;
    }

    /** Keeps the event and delivers it to every subscriber; false if this object is retired. */
    synchronized boolean append(RelayedEvent event, Instant now) {
        if (retired) {
            return false;
        }
        events.addLast(event);
        evict(now);
        for (Watch watch : watches) {
            watch.offer(event);
        }
        return true;
    }

    /** Replays what {@code start} asks for, then delivers live events; false if retired. */
    synchronized boolean subscribe(Subscriber subscriber, StreamStart start, Instant now) {
        if (retired) {
            return false;
        }
        evict(now);
        Watch watch = new Watch(subscriber);
        if (start instanceof StreamStart.FromMessage from) {
            replayFromMessage(watch, from.messageId(), now);
        } else if (start instanceof StreamStart.AfterCursor after) {
            replayAfterCursor(watch, after.cursor());
        } else {
            replayInProgress(watch);
        }
        watches.add(watch);
        return true;
    }

    synchronized boolean unsubscribe(Subscriber subscriber) {
        return watches.removeIf(watch -> watch.subscriber == subscriber);
    }

    synchronized List<Subscriber> subscribers() {
        return watches.stream().map(watch -> watch.subscriber).toList();
    }

    /** Drops expired events; retires this object when nothing is left to keep or to feed. */
    synchronized boolean retireIfIdle(Instant now) {
        evict(now);
        retired = events.isEmpty() && watches.isEmpty();
        return retired;
    }

    synchronized int size() {
        return events.size();
    }

    private void replayFromMessage(Watch watch, String messageId, Instant now) {
        Optional<Instant> acceptedAt = MessageIds.acceptedAt(messageId);
        boolean buffered = events.stream().anyMatch(event -> messageId.equals(event.messageId()));
        if (buffered) {
            watch.awaiting = messageId;
            events.forEach(watch::offer);
        } else if (acceptedAt.isPresent() && !acceptedAt.get().isBefore(now.minus(window))) {
            // Accepted recently but not here yet: the connector has not started it. Wait for it.
            watch.awaiting = messageId;
        } else {
            // Older than the replay window (or not a message id at all): it cannot be served.
            watch.subscriber.deliver(CURSOR_EXPIRED);
            replayInProgress(watch);
        }
    }

    private void replayAfterCursor(Watch watch, Cursor cursor) {
        // Only an exact match proves nothing after the cursor was evicted. A later issue can
        // serve older cursors by seeking Kafka here instead of giving up.
        boolean found = false;
        for (RelayedEvent event : events) {
            if (found) {
                watch.offer(event);
            } else if (event.cursor().equals(cursor)) {
                found = true;
            }
        }
        if (!found) {
            watch.subscriber.deliver(CURSOR_EXPIRED);
            replayInProgress(watch);
        }
    }

    private void replayInProgress(Watch watch) {
        Set<String> started = new HashSet<>();
        Set<String> ended = new HashSet<>();
        for (RelayedEvent event : events) {
            if (event.isStarted()) {
                started.add(event.messageId());
            } else if (event.isTerminal()) {
                ended.add(event.messageId());
            }
        }
        for (RelayedEvent event : events) {
            if (started.contains(event.messageId()) && !ended.contains(event.messageId())) {
                watch.offer(event);
            }
        }
    }

    private void evict(Instant now) {
        Instant oldest = now.minus(window);
        Iterator<RelayedEvent> it = events.iterator();
        while (it.hasNext()) {
            RelayedEvent event = it.next();
            if (events.size() <= maxEvents && !event.time().isBefore(oldest)) {
                return;
            }
            it.remove();
        }
    }

    /** A subscriber, and the message it waits for before it receives anything (or null). */
    private static final class Watch {

        final Subscriber subscriber;
        String awaiting;

        Watch(Subscriber subscriber) {
            this.subscriber = subscriber;
        }

        void offer(RelayedEvent event) {
            if (awaiting != null) {
                // A client that asked for message M skips the session's earlier messages.
                if (!awaiting.equals(event.messageId())) {
                    return;
                }
                awaiting = null;
            }
            subscriber.deliver(event.frame());
        }
    }
}
