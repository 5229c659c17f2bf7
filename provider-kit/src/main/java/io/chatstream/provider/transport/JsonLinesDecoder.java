package io.chatstream.provider.transport;

import java.util.ArrayList;
import java.util.List;

/**
 * An incremental JSON-lines splitter: feed it text in any pieces, it returns the lines completed so
 * far. Lines end with {@code \n}, {@code \r\n} or {@code \r}, even when a {@code \r\n} is cut
 * between two pieces (a JSON value cannot hold a raw CR or LF, so any of them ends a line); blank and
 * whitespace-only lines are skipped. It does not parse JSON: each line is returned as text.
 *
 * <p>Feed it decoded text ({@link Utf8StreamDecoder}), never raw bytes. Not thread-safe.
 */
public final class JsonLinesDecoder {

    private final StringBuilder line = new StringBuilder();
    /** The previous piece ended with {@code \r}: a {@code \n} first in the next piece is its pair. */
    private boolean skipLf;

    /** The lines this piece completes, without their line ending; may be empty. */
    public List<String> feed(CharSequence text) {
        List<String> lines = new ArrayList<>();
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
                endLine(lines);
            } else {
                line.append(c);
            }
        }
        return lines;
    }

    /** At the end of the stream: a last line without its line ending, if it has any content. */
    public List<String> finish() {
        List<String> lines = new ArrayList<>();
        endLine(lines);
        skipLf = false;
        return lines;
    }

    private void endLine(List<String> lines) {
        if (!line.toString().isBlank()) {
            lines.add(line.toString().strip());
        }
        line.setLength(0);
    }
}
