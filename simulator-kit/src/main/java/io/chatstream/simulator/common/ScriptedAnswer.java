package io.chatstream.simulator.common;

import java.util.ArrayList;
import java.util.List;

/**
 * The deterministic answer of a simulated bot: the same question always gets the same tokens, so
 * tests can assert the exact text. The vocabulary has multi-byte characters on purpose, to catch
 * UTF-8 decoding that is not done as a stream.
 */
public final class ScriptedAnswer {

    private static final String[] VOCABULARY = {
        "the", "gateway", "streams", "tokens", "café", "naïve", "über", "日本語", "🚀", "order", "kept", "Ωmega", "—",
        "résumé", "fine", "ok"
    };

    private ScriptedAnswer() {}

    /** {@code count} tokens: an echo of the question's first words, then words of the vocabulary. */
    public static List<String> tokens(String question, int count) {
        List<String> tokens = new ArrayList<>(count);
        String[] words = question.isBlank() ? new String[0] : question.trim().split("\\s+");
        int seed = Math.floorMod(question.hashCode(), VOCABULARY.length);
        for (int i = 0; i < count; i++) {
            String word;
            if (i == 0) {
                word = "You";
            } else if (i == 1) {
                word = " said:";
            } else if (i - 2 < Math.min(words.length, 8)) {
                word = " " + words[i - 2];
            } else {
                word = " " + VOCABULARY[(seed + i) % VOCABULARY.length];
            }
            tokens.add(word);
        }
        return tokens;
    }
}
