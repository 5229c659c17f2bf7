package io.chatstream.session.relay;

import io.chatstream.contract.event.MessageIds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntToLongFunction;
import java.util.function.Supplier;

/**
 * One session's recent events and its subscribers. Every method holds this object's monitor, so
 * "replay a snapshot, then join the live stream" and "append an event, deliver it to everyone"
 * never interleave: a new subscriber sees each event exactly once, without a gap. What memory no
 * longer holds is read from Kafka by a {@link CatchUp}, which hands over under the same monitor.
 */
final class SessionReplay {

    static final String CURSOR_EXPIRED = "cursor_expired";

    private final String streamKey;
    private final int maxEvents;
    private final Duration window;
    private final IntToLongFunction relayedUpTo;
    private final Supplier<Instant> forgottenUpTo;
    private final ArrayDeque<RelayedEvent> events = new ArrayDeque<>();
    private final MessageStarts starts;
    private final List<Watch> watches = new ArrayList<>();
    private long lastAppended = -1;
    // Set once the relay dropped this object from its map: callers then retry on a fresh one.
    private boolean retired;

    /**
     * @param relayedUpTo per partition, the last offset the reader has appended (any session)
     * @param forgottenUpTo up to when the instance's budget forgot events for want of room
     */
    SessionReplay(
            String streamKey,
            int maxEvents,
            Duration window,
            IntToLongFunction relayedUpTo,
            Supplier<Instant> forgottenUpTo) {
        this.streamKey = streamKey;
        this.forgottenUpTo = forgottenUpTo;
        this.maxEvents = maxEvents;
        this.window = window;
        this.relayedUpTo = relayedUpTo;
        this.starts = new MessageStarts(window);
    }

    /** Keeps the event and delivers it to every subscriber; false if this object is retired. */
    synchronized boolean append(RelayedEvent event, Instant now) {
        if (retired) {
            return false;
        }
        events.addLast(event);
        starts.record(event);
        lastAppended = event.offset();
        evict(now);
        for (Watch watch : watches) {
            watch.offer(event);
        }
        return true;
    }

    /**
     * Replays what {@code start} asks for from memory, then delivers live events.
     *
     * @return null if retired; empty when done; a catch-up to run when Kafka must fill in first
     */
    synchronized Optional<CatchUp> subscribe(Subscriber subscriber, StreamStart start, Instant now) {
        if (retired) {
            return null;
        }
        evict(now);
        Watch watch = new Watch(subscriber);
        if (start instanceof StreamStart.AfterCursor after) {
            return afterCursor(watch, after.cursor());
        }
        if (start instanceof StreamStart.FromMessage from) {
            return fromMessage(watch, from.messageId(), now);
        }
        return inProgress(watch);
    }

    /**
     * Kafka gave {@code batch} (this session's records, in order) and is now at {@code position}.
     *
     * @return true when the watch is live (or gone) and the catch-up can stop
     */
    synchronized boolean caughtUp(Watch watch, List<RelayedEvent> batch, long position) {
        if (!watches.contains(watch)) {
            return true;
        }
        batch.forEach(watch::deliver);
        if (position >= watch.handoverAt()) {
            watch.handOver();
            return true;
        }
        return false;
    }

    /** The client's cursor cannot be served: say so, then the messages in progress. */
    synchronized Optional<CatchUp> expire(Watch watch) {
        if (!watches.remove(watch)) {
            return Optional.empty();
        }
        return expired(new Watch(watch.subscriber));
    }

    /**
     * Kafka could not serve the catch-up: the client comes back later with its cursor. The watch
     * stays until the connection's close unsubscribes it, so the relay's count stays right.
     */
    synchronized void abandon(Watch watch, int closeCode, String reason) {
        if (watches.contains(watch)) {
            watch.subscriber.close(closeCode, reason);
        }
    }

    synchronized boolean unsubscribe(Subscriber subscriber) {
        return watches.removeIf(watch -> watch.subscriber == subscriber);
    }

    /** Its session was deleted: retires it with nothing kept, and gives back its subscribers to close. */
    synchronized List<Subscriber> delete() {
        retired = true;
        List<Subscriber> subscribers = subscribers();
        watches.clear();
        events.clear();
        return subscribers;
    }

    synchronized List<Subscriber> subscribers() {
        return watches.stream().map(watch -> watch.subscriber).toList();
    }

    /** Drops expired events; retires this object when nothing is left to keep or to feed. */
    synchronized boolean retireIfIdle(Instant now) {
        evict(now);
        retired = events.isEmpty() && watches.isEmpty() && starts.isEmpty();
        return retired;
    }

    /**
     * The instance's {@link ReplayBudget} drops {@code event}: the oldest this session keeps, if
     * still kept; with a {@code message.started}, the message's start unless it is in progress.
     *
     * @return true when this object retired: nothing left to keep or to feed
     */
    synchronized boolean forget(RelayedEvent event) {
        if (events.peekFirst() == event) {
            events.pollFirst();
        }
        if (event.isStarted()) {
            starts.unbacked(event.messageId());
        }
        retired = retired || (events.isEmpty() && watches.isEmpty() && starts.isEmpty());
        return retired;
    }

    synchronized int size() {
        return events.size();
    }

    private Optional<CatchUp> afterCursor(Watch watch, Cursor cursor) {
        if (cursor == null) {
            return expired(watch);
        }
        watch.lastOffset = cursor.offset();
        if (events.stream().anyMatch(event -> event.cursor().equals(cursor))) {
            // Ours and recent: memory holds everything after it.
            return replayFromMemory(watch, cursor.partition());
        }
        // Older than memory, or newer than this replica's reader (a client from a replica that
        // reads ahead of this one): Kafka checks it is the session's and fills in the rest.
        return catchUp(watch, cursor.partition(), cursor.offset(), cursor);
    }

    private Optional<CatchUp> fromMessage(Watch watch, String messageId, Instant now) {
        Optional<Cursor> started = starts.startOf(messageId);
        if (started.isPresent()) {
            watch.lastOffset = started.get().offset() - 1;
            return fromStart(watch, started.get());
        }
        Optional<Instant> acceptedAt = MessageIds.acceptedAt(messageId);
        // Accepted before memory forgot events for room: it may have started unseen, so waiting
        // for its start could wait for ever. Answered as a message older than the window.
        if (acceptedAt.isPresent()
                && !acceptedAt.get().isBefore(now.minus(window))
                && acceptedAt.get().isAfter(forgottenUpTo.get())) {
            // Accepted recently but not started yet: the connector has not begun it. Wait for it.
            watch.awaiting = messageId;
            watches.add(watch);
            return Optional.empty();
        }
        // Older than the replay window (or not a message id at all): it cannot be served.
        return expired(watch);
    }

    private Optional<CatchUp> expired(Watch watch) {
        watch.subscriber.deliver(RelayedEvent.streamError(streamKey, CURSOR_EXPIRED));
        return inProgress(watch);
    }

    private Optional<CatchUp> inProgress(Watch watch) {
        Set<String> open = starts.inProgress();
        watch.onlyMessages = open;
        Optional<Cursor> earliest = starts.earliestStart(open);
        if (earliest.isEmpty()) {
            watch.historyEnd = lastAppended;
            watches.add(watch);
            return Optional.empty();
        }
        return fromStart(watch, earliest.get());
    }

    /** Everything from {@code first} on (filtered by the watch): from memory if it holds it. */
    private Optional<CatchUp> fromStart(Watch watch, Cursor first) {
        RelayedEvent oldest = events.peekFirst();
        if (oldest != null && oldest.cursor().partition() == first.partition() && oldest.offset() <= first.offset()) {
            return replayFromMemory(watch, first.partition());
        }
        return catchUp(watch, first.partition(), first.offset(), null);
    }

    private Optional<CatchUp> replayFromMemory(Watch watch, int partition) {
        watch.historyEnd = historyEnd(partition);
        events.forEach(watch::deliver);
        watches.add(watch);
        return Optional.empty();
    }

    private Optional<CatchUp> catchUp(Watch watch, int partition, long fromOffset, Cursor validate) {
        watch.historyEnd = historyEnd(partition);
        // Memory's events wait with the live ones: Kafka fills in what precedes them.
        watch.held = new ArrayDeque<>(events);
        watches.add(watch);
        return Optional.of(new CatchUp(this, streamKey, watch, partition, fromOffset, validate));
    }

    /**
     * The last offset of this session already relayed: at or below it is replay, above it live.
     * The reader's position covers events this object never saw (evicted, or before a restart);
     * it is updated after each append, so this session's own last append may be newer.
     */
    private long historyEnd(int partition) {
        return Math.max(lastAppended, relayedUpTo.applyAsLong(partition));
    }

    private void evict(Instant now) {
        starts.evict(now);
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
}
