package io.chatstream.provider.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * The demo bot's answer: the same input always gives the same tokens (an echo of its first words,
 * then a fixed vocabulary), so the local run and the tests can assert the exact text. Multi-byte
 * words are there on purpose, to exercise UTF-8 end to end.
 */
final class DemoAnswer {

    private static final String[] VOCABULARY = {
        "streams", "are", "kept", "in", "order", "by", "session", "and", "every", "token", "arrives", "once", "—",
        "café", "naïve", "🚀"
    };
    private static final int ECHOED_WORDS = 8;

    private DemoAnswer() {}

    static List<String> tokens(String question, int count) {
        String[] words = question == null || question.isBlank()
                ? new String[0]
                : question.trim().split("\\s+");
        int seed = Math.floorMod(question == null ? 0 : question.hashCode(), VOCABULARY.length);
        List<String> tokens = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String word;
            if (i == 0) {
                word = "Echo:";
            } else if (i - 1 < Math.min(words.length, ECHOED_WORDS)) {
                word = words[i - 1];
            } else {
                word = VOCABULARY[(seed + i) % VOCABULARY.length];
            }
            tokens.add(i == 0 ? word : " " + word);
        }
        return tokens;
    }

    /** Whitespace-separated words: the demo's own token count of the question. */
    static int countWords(String text) {
        return text == null || text.isBlank() ? 0 : text.trim().split("\\s+").length;
    }
}
