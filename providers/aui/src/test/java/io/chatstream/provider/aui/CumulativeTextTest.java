package io.chatstream.provider.aui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CumulativeTextTest {

    @Test
    void aGrowingTextGivesItsNewSuffix() {
        CumulativeText text = new CumulativeText();
        assertThat(text.next("I found")).contains("I found");
        assertThat(text.next("I found")).isEmpty();
        assertThat(text.next("I found café")).contains(" café");
        assertThat(text.next("I found café 🚀")).contains(" 🚀");
        assertThat(text.sent()).isEqualTo("I found café 🚀");
    }

    @Test
    void aRewriteGivesNothingAndStreamingResumesWhenTheTextExtendsWhatWasSentAgain() {
        CumulativeText text = new CumulativeText();
        text.next("You said");
        assertThat(text.next("Your said more")).isEmpty();
        assertThat(text.next("You")).isEmpty();
        assertThat(text.next("You said more")).contains(" more");
    }

    @Test
    void halfACharacterWaitsForItsOtherHalf() {
        CumulativeText text = new CumulativeText();
        String rocket = "🚀";
        assertThat(text.next("go " + rocket.charAt(0))).contains("go ");
        assertThat(text.next("go " + rocket)).isEqualTo(Optional.of(rocket));
    }
}
