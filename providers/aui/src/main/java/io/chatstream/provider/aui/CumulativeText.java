package io.chatstream.provider.aui;

import java.util.Optional;

/**
 * Turns AUI's cumulative progress texts into deltas. A text that extends what was sent gives the
 * new suffix; one that does not (the vendor rewrote its answer) gives nothing, and the final
 * message's text, which is authoritative, closes the difference (the streamer emits the missing
 * suffix, or a reset and the whole text). Not thread-safe.
 */
final class CumulativeText {

    private String sent = "";

    /** The delta this progress text adds to what was sent, if it extends it. */
    Optional<String> next(String cumulative) {
        if (!cumulative.isEmpty() && Character.isHighSurrogate(cumulative.charAt(cumulative.length() - 1))) {
            // Half of a character: wait for the rest rather than stream a lone surrogate.
            cumulative = cumulative.substring(0, cumulative.length() - 1);
        }
        if (cumulative.length() > sent.length() && cumulative.startsWith(sent)) {
            String delta = cumulative.substring(sent.length());
            sent = cumulative;
            return Optional.of(delta);
        }
        return Optional.empty();
    }

    String sent() {
        return sent;
    }
}
