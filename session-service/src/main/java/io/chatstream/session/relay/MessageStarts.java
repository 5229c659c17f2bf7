package io.chatstream.session.relay;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where each recent message of one session started in Kafka, and whether it ended. Kept apart
 * from the count-bounded event buffer: a long answer pushes its own {@code message.started} out
 * of that buffer, yet a late joiner must still get it from its first token (then from Kafka).
 * About {@link ReplayBudget#START_BYTES} per message; an entry goes when its message was last
 * heard of longer ago than the replay window (a message silent that long is dead, or over and
 * old), or when the instance's budget forgot its {@code message.started} and it ended.
 */
final class MessageStarts {

    private final Duration window;
    private final Map<String, Start> starts = new LinkedHashMap<>();

    MessageStarts(Duration window) {
        this.window = window;
    }

    void record(RelayedEvent event) {
        if (event.isStarted()) {
            starts.put(event.messageId(), new Start(event.cursor(), event.time()));
        }
        Start start = starts.get(event.messageId());
        if (start != null) {
            start.lastSeen = event.time();
            start.ended |= event.isTerminal();
            if (start.ended && !start.backed) {
                starts.remove(event.messageId());
            }
        }
    }

    /**
     * The budget forgot the message's {@code message.started}: an ended message's start goes with
     * it; one in progress is kept (a late joiner needs it) until it ends.
     */
    void unbacked(String messageId) {
        Start start = starts.get(messageId);
        if (start == null) {
            return;
        }
        if (start.ended) {
            starts.remove(messageId);
        } else {
            start.backed = false;
        }
    }

    /** The {@code message.started} of a message in the window, if this replica saw it. */
    Optional<Cursor> startOf(String messageId) {
        Start start = starts.get(messageId);
        return start == null ? Optional.empty() : Optional.of(start.cursor);
    }

    /** Messages started and not ended yet, oldest start first. */
    Set<String> inProgress() {
        return starts.entrySet().stream()
                .filter(entry -> !entry.getValue().ended)
                .map(Map.Entry::getKey)
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    /** The earliest start among {@code messages}. */
    Optional<Cursor> earliestStart(Set<String> messages) {
        return messages.stream()
                .map(starts::get)
                .map(start -> start.cursor)
                .min((a, b) -> Long.compare(a.offset(), b.offset()));
    }

    void evict(Instant now) {
        Instant oldest = now.minus(window);
        Iterator<Start> it = starts.values().iterator();
        while (it.hasNext()) {
            if (it.next().lastSeen.isBefore(oldest)) {
                it.remove();
            }
        }
    }

    boolean isEmpty() {
        return starts.isEmpty();
    }

    private static final class Start {

        final Cursor cursor;
        Instant lastSeen;
        boolean ended;
        /** Its {@code message.started} is still counted by the budget. */
        boolean backed = true;

        Start(Cursor cursor, Instant lastSeen) {
            this.cursor = cursor;
            this.lastSeen = lastSeen;
        }
    }
}
