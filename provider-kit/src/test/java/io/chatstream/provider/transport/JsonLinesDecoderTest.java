package io.chatstream.provider.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonLinesDecoderTest {

    private static final String CAFE = "{\"type\":\"token\",\"data\":{\"token\":\"café 日本語 🚀\"}}";
    private static final String END = "{\"type\":\"result\",\"data\":{\"text\":\"x\"}}";

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r\n", "\r", "\n\n", "\r\n\r\n", "\n \t\n"})
    void everySplitPositionGivesTheSameLines(String eol) {
        byte[] bytes = (CAFE + eol + "{}" + eol + END + eol).getBytes(StandardCharsets.UTF_8);
        List<String> whole = decode(List.of(bytes));
        assertThat(whole).containsExactly(CAFE, "{}", END);

        for (int cut = 1; cut < bytes.length; cut++) {
            List<byte[]> pieces =
                    List.of(Arrays.copyOfRange(bytes, 0, cut), Arrays.copyOfRange(bytes, cut, bytes.length));
            assertThat(decode(pieces)).as("cut at byte %d", cut).isEqualTo(whole);
        }
        List<byte[]> oneByteEach = new ArrayList<>();
        for (byte b : bytes) {
            oneByteEach.add(new byte[] {b});
        }
        assertThat(decode(oneByteEach)).isEqualTo(whole);
    }

    @Test
    void aLastLineWithoutLineEndingIsDeliveredAtTheEnd() {
        JsonLinesDecoder decoder = new JsonLinesDecoder();
        assertThat(decoder.feed("{\"a\":1}\n{\"b\"")).containsExactly("{\"a\":1}");
        assertThat(decoder.feed(":2}")).isEmpty();
        assertThat(decoder.finish()).containsExactly("{\"b\":2}");
        assertThat(decoder.finish()).isEmpty();
    }

    @Test
    void blankLinesAreNotLines() {
        JsonLinesDecoder decoder = new JsonLinesDecoder();
        assertThat(decoder.feed("\n\r\n  \n\t\r{}\n")).containsExactly("{}");
        assertThat(decoder.finish()).isEmpty();
    }

    @Test
    void aCrAtTheEndOfAPieceAndAnLfAtTheStartOfTheNextAreOneLineEnding() {
        JsonLinesDecoder decoder = new JsonLinesDecoder();
        assertThat(decoder.feed("{}\r")).containsExactly("{}");
        assertThat(decoder.feed("\n[]\r")).containsExactly("[]");
        assertThat(decoder.feed("\r\n")).isEmpty();
    }

    private static List<String> decode(List<byte[]> pieces) {
        Utf8StreamDecoder utf8 = new Utf8StreamDecoder();
        JsonLinesDecoder decoder = new JsonLinesDecoder();
        List<String> lines = new ArrayList<>();
        for (byte[] piece : pieces) {
            lines.addAll(decoder.feed(utf8.decode(piece)));
        }
        lines.addAll(decoder.feed(utf8.finish()));
        lines.addAll(decoder.finish());
        return lines;
    }
}
