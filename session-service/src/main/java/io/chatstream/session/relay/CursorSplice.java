package io.chatstream.session.relay;

/**
 * Adds {@code "cursor":"p-o"} to an event's JSON as it came from Kafka. Text surgery rather than
 * decode and re-encode: the frame is built once per event and the same string goes to every
 * subscriber, so the producer's JSON reaches clients unchanged apart from the cursor.
 */
public final class CursorSplice {

    private CursorSplice() {}

    /**
     * @param json one JSON object, as published on {@code chat.events}
     * @param cursor the event's cursor; made only of digits and a dash, so it needs no escaping
     * @throws IllegalArgumentException when {@code json} is not an object
     */
    public static String splice(String json, Cursor cursor) {
        int end = json.length() - 1;
        while (end >= 0 && Character.isWhitespace(json.charAt(end))) {
            end--;
        }
        if (end < 1 || json.charAt(end) != '}') {
            throw new IllegalArgumentException("event value is not a JSON object");
        }
        int last = end - 1;
        while (last >= 0 && Character.isWhitespace(json.charAt(last))) {
            last--;
        }
        boolean empty = json.charAt(last) == '{';
        StringBuilder frame = new StringBuilder(end + 32);
        frame.append(json, 0, last + 1)
                .append(empty ? "" : ",")
                .append("\"cursor\":\"")
                .append(cursor)
                .append("\"}");
        return frame.toString();
    }
}
