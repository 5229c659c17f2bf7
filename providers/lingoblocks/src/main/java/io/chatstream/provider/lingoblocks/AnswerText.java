package io.chatstream.provider.lingoblocks;

import java.util.Optional;

/**
 * Turns the texts of {@code chatbot.responseGenerated} events into deltas, whether the vendor sends
 * deltas or the cumulative text so far (its docs say neither): a text that starts with everything
 * received so far is cumulative, and only its new end is a delta. Once a text does not extend what
 * came before, the stream is taken as deltas for good. A cumulative stream that rewrites its past
 * (a text that neither extends nor repeats it) emits nothing more: the final text of the
 * {@code /message} answer then resets the answer. Not thread-safe.
 */
final class AnswerText {

    private enum Mode {
        UNKNOWN,
        DELTAS,
        CUMULATIVE,
        REWRITTEN
    }

    private final StringBuilder received = new StringBuilder();
    private Mode mode = Mode.UNKNOWN;

    /** The new text that this event's text brings, if any. */
    Optional<String> next(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        switch (mode) {
            case DELTAS -> {
                return append(text);
            }
            case REWRITTEN -> {
                return Optional.empty();
            }
            case UNKNOWN -> {
                if (received.isEmpty()) {
                    return append(text);
                }
                if (!startsWithReceived(text)) {
                    mode = Mode.DELTAS;
                    return append(text);
                }
                mode = Mode.CUMULATIVE;
                return extension(text);
            }
            default -> {
                if (startsWithReceived(text)) {
                    return extension(text);
                }
                if (received.indexOf(text) == 0) {
                    return Optional.empty(); // an older, shorter cumulative text arriving late
                }
                mode = Mode.REWRITTEN;
                return Optional.empty();
            }
        }
    }

    /** Everything streamed so far. */
    String text() {
        return received.toString();
    }

    private boolean startsWithReceived(String text) {
        return text.length() >= received.length() && text.startsWith(received.toString());
    }

    private Optional<String> extension(String text) {
        return text.length() == received.length() ? Optional.empty() : append(text.substring(received.length()));
    }

    private Optional<String> append(String delta) {
        received.append(delta);
        return Optional.of(delta);
    }
}
