package io.chatstream.session.relay;

import java.util.Optional;

/**
 * Where an event sits in {@code chat.events}: its record's partition and offset, written
 * {@code <partition>-<offset>}. Clients treat it as opaque; the service can seek Kafka with it.
 */
public record Cursor(int partition, long offset) {

    /** The cursor a client sent back, or empty when it is not one of ours. */
    public static Optional<Cursor> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int dash = text.indexOf('-');
        if (dash <= 0 || dash == text.length() - 1) {
            return Optional.empty();
        }
        try {
            int partition = Integer.parseInt(text.substring(0, dash));
            long offset = Long.parseLong(text.substring(dash + 1));
            return partition < 0 || offset < 0 ? Optional.empty() : Optional.of(new Cursor(partition, offset));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return partition + "-" + offset;
    }
}
