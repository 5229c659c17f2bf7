package io.chatstream.provider.transport;

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
        try {
            if (line.charAt(0) == ':') {
                return; // a comment: keep-alives
            }
            // Read in place: this runs for every line of every stream, and a data line (almost all
            // of them) needs no string of its own before the event is dispatched.
            int colon = line.indexOf(":");
            int fieldEnd = colon < 0 ? line.length() : colon;
            int valueStart = colon < 0 ? line.length() : colon + 1;
            if (valueStart < line.length() && line.charAt(valueStart) == ' ') {
                valueStart++;
            }
            if (isField("data", fieldEnd)) {
                if (hasData) {
                    data.append('\n');
                }
                data.append(line, valueStart, line.length());
                hasData = true;
            } else if (isField("event", fieldEnd)) {
                eventType = line.substring(valueStart);
            } else if (isField("id", fieldEnd)) {
                String id = line.substring(valueStart);
                lastId = id.indexOf('\0') < 0 ? id : lastId;
            }
            // "retry" and unknown fields do not concern a one-shot stream.
        } finally {
            line.setLength(0);
        }
    }

    private boolean isField(String name, int fieldEnd) {
        if (fieldEnd != name.length()) {
            return false;
        }
        for (int i = 0; i < fieldEnd; i++) {
            if (line.charAt(i) != name.charAt(i)) {
                return false;
            }
        }
        return true;
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
