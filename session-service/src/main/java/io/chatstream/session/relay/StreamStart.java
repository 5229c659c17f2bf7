package io.chatstream.session.relay;

/**
 * Where a new subscriber's stream begins, from the query of its connection ({@code cursor} wins
 * over {@code from}).
 */
public sealed interface StreamStart {

    /** No cursor, no message: the messages still in progress, from their start. */
    record InProgress() implements StreamStart {}

    /** {@code from=<messageId>}: that message whole from its {@code message.started}. */
    record FromMessage(String messageId) implements StreamStart {}

    /** {@code cursor=<cursor>}: every event after that one; {@code cursor} is null if unparseable. */
    record AfterCursor(Cursor cursor) implements StreamStart {}

    static StreamStart of(String from, String cursor) {
        if (cursor != null && !cursor.isEmpty()) {
            return new AfterCursor(Cursor.parse(cursor).orElse(null));
        }
        if (from != null && !from.isEmpty()) {
            return new FromMessage(from);
        }
        return new InProgress();
    }
}
