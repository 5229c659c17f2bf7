package io.chatstream.connector.stream;

import java.util.Optional;

/**
 * Reconciles the text streamed so far with the vendor's final text, so that {@code
 * completed.text} always equals the deltas after the last reset: the missing suffix when the final
 * text extends what was streamed, else a reset and the whole text.
 *
 * @param reset whether a {@code message.reset} must precede {@code delta}
 * @param delta the text of one last delta, if any
 */
record FinalText(boolean reset, Optional<String> delta) {

    static final FinalText NOTHING = new FinalText(false, Optional.empty());

    static FinalText reconcile(String streamed, String fin) {
        if (fin.equals(streamed)) {
            return NOTHING;
        }
        if (fin.startsWith(streamed)) {
            return new FinalText(false, Optional.of(fin.substring(streamed.length())));
        }
        return new FinalText(true, fin.isEmpty() ? Optional.empty() : Optional.of(fin));
    }
}
