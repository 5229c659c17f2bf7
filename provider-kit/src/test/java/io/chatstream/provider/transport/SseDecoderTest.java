package io.chatstream.provider.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SseDecoderTest {

    private static final String CAFE = "{\"content\":\"café 日本語 🚀\"}";

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r\n", "\r"})
    void everySplitPositionGivesTheSameEvents(String eol) {
        String stream = ": keep-alive" + eol + eol
                + "data: " + CAFE + eol + eol
                + "event: note" + eol + "data: line one" + eol + "data:line two" + eol + "id: 7" + eol + eol
                + "data: [DONE]" + eol + eol;
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        List<SseEvent> whole = decode(List.of(bytes));
        assertThat(whole)
                .containsExactly(
                        new SseEvent("message", CAFE, null),
                        new SseEvent("note", "line one\nline two", "7"),
                        new SseEvent("message", "[DONE]", "7"));

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
    void aLastEventWithoutBlankLineIsDeliveredAtTheEnd() {
        SseDecoder decoder = new SseDecoder();
        assertThat(decoder.feed("data: a\n\ndata: b")).containsExactly(new SseEvent("message", "a", null));
        assertThat(decoder.finish()).containsExactly(new SseEvent("message", "b", null));
    }

    @Test
    void commentsEmptyEventsAndUnknownFieldsAreNotEvents() {
        SseDecoder decoder = new SseDecoder();
        assertThat(decoder.feed(":a\n\nretry: 10\n\nevent: x\n\nfoo: bar\n\n")).isEmpty();
        assertThat(decoder.feed("data\n\n")).containsExactly(new SseEvent("message", "", null));
        assertThat(decoder.feed("data:  two spaces\n\n")).containsExactly(new SseEvent("message", " two spaces", null));
    }

    @Test
    void aMultiByteCharacterCutAcrossReadsIsDecodedWhole() {
        byte[] rocket = "🚀".getBytes(StandardCharsets.UTF_8);
        Utf8StreamDecoder utf8 = new Utf8StreamDecoder();
        StringBuilder text = new StringBuilder();
        for (byte b : rocket) {
            text.append(utf8.decode(new byte[] {b}));
        }
        text.append(utf8.finish());
        assertThat(text.toString()).isEqualTo("🚀");
    }

    @Test
    void aCharacterCutByTheEndOfTheStreamBecomesAReplacement() {
        Utf8StreamDecoder utf8 = new Utf8StreamDecoder();
        byte[] e = "é".getBytes(StandardCharsets.UTF_8);
        assertThat(utf8.decode(new byte[] {'a', e[0]})).isEqualTo("a");
        assertThat(utf8.finish()).isEqualTo("\uFFFD");
    }

    private static List<SseEvent> decode(List<byte[]> pieces) {
        Utf8StreamDecoder utf8 = new Utf8StreamDecoder();
        SseDecoder sse = new SseDecoder();
        List<SseEvent> events = new ArrayList<>();
        for (byte[] piece : pieces) {
            events.addAll(sse.feed(utf8.decode(piece)));
        }
        events.addAll(sse.feed(utf8.finish()));
        events.addAll(sse.finish());
        return events;
    }
}
