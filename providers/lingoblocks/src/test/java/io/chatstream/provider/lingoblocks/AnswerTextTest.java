package io.chatstream.provider.lingoblocks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnswerTextTest {

    private static List<String> deltas(String... texts) {
        AnswerText answer = new AnswerText();
        List<String> out = new ArrayList<>();
        for (String text : texts) {
            answer.next(text).ifPresent(out::add);
        }
        return out;
    }

    @Test
    void deltasPassThrough() {
        assertThat(deltas("You", " said:", " café", " 🚀")).containsExactly("You", " said:", " café", " 🚀");
    }

    @Test
    void cumulativeTextBecomesDeltas() {
        assertThat(deltas("You", "You said:", "You said: café", "You said: café 🚀"))
                .containsExactly("You", " said:", " café", " 🚀");
    }

    @Test
    void aRepeatedOrOlderCumulativeTextAddsNothing() {
        assertThat(deltas("You", "You said:", "You said:", "You", "You said: ok"))
                .containsExactly("You", " said:", " ok");
    }

    @Test
    void onceDeltasAlwaysDeltasEvenWhenOneRepeatsTheTextSoFar() {
        // "ha" then " ha" are deltas; a later "ha ha" is a delta too, not the cumulative text.
        assertThat(deltas("ha", " ha", "ha ha")).containsExactly("ha", " ha", "ha ha");
    }

    @Test
    void aRewrittenCumulativeTextStopsTheDeltasAndLeavesItToTheFinalText() {
        AnswerText answer = new AnswerText();
        assertThat(answer.next("The cat")).contains("The cat");
        assertThat(answer.next("The cat sat")).contains(" sat");
        assertThat(answer.next("A dog")).isEmpty();
        assertThat(answer.next("A dog ran")).isEmpty();
        assertThat(answer.text()).isEqualTo("The cat sat");
    }

    @Test
    void emptyTextsAreIgnored() {
        AnswerText answer = new AnswerText();
        assertThat(answer.next("")).isEqualTo(Optional.empty());
        assertThat(answer.next("a")).contains("a");
        assertThat(answer.next("")).isEmpty();
    }
}
