package io.chatstream.connector.transport;

import java.util.ArrayList;
import java.util.List;

/**
 * An incremental server-sent-events parser (WHATWG "event stream interpretation"): feed it text in
 * any pieces, it returns the events completed so far. Lines end with {@code \n}, {@code \r\n} or
 * {@code \r}, even when a {@code \r\n} is cut between two pieces; {@code :} lines are comments;
 * several {@code data:} lines join with {@code \n}; an event ends with a blank line.
 *
 * <p>Feed it decoded text ({@link Utf8StreamDecoder}), never raw bytes. Not thread-safe.
 */
public final class SseDecoder {

    private final StringBuilder line = new StringBuilder();
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String eventType;
    private String lastId;
    /** The previous piece ended with {@code \r}: a {@code \n} first in the next piece is its pair. */
    private boolean skipLf;

    public List<SseEvent> feed(CharSequence text) {
        List<SseEvent> events = new ArrayList<>();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (skipLf) {
                skipLf = false;
                if (c == '\n') {
                    continue;
                }
            }
            if (c == '\r' || c == '\n') {
                skipLf = c == '\r';
                endLine(events);
            } else {
                line.append(c);
            }
        }
        return events;
    }

    /**
     * At the end of the stream: a last event not closed by a blank line is still delivered, since
     * some servers end the body right after the last {@code data:} line.
     */
    public List<SseEvent> finish() {
        List<SseEvent> events = new ArrayList<>();
        if (!line.isEmpty()) {
            endLine(events);
        }
        dispatch(events);
        return events;
    }

    private void endLine(List<SseEvent> events) {
        if (line.isEmpty()) {
            dispatch(events);
            return;
        }
        String text = line.toString();
        line.setLength(0);
        if (text.charAt(0) == ':') {
            return; // a comment: keep-alives
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "data" -> {
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
            }
            case "event" -> eventType = value;
            case "id" -> lastId = value.indexOf('\0') < 0 ? value : lastId;
            default -> {
                // "retry" and unknown fields do not concern a one-shot stream.
            }
        }
    }

    private void dispatch(List<SseEvent> events) {
        if (hasData) {
            events.add(new SseEvent(
                    eventType == null || eventType.isEmpty() ? "message" : eventType, data.toString(), lastId));
        }
        data.setLength(0);
        hasData = false;
        eventType = null;
    }
}
