package io.chatstream.provider.snackprompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatstream.contract.event.ErrorCode;
import io.chatstream.contract.event.Usage;
import io.chatstream.provider.ProviderChunk;
import io.chatstream.provider.ProviderException;
import io.chatstream.provider.transport.Utf8StreamDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SnackPromptBodyParserTest {

    private static final List<String> TOKENS = List.of("First", " café", " 日本語", " 🚀", " end");

    /** The same answer in every framing the vendor or a proxy may use. */
    static Stream<String> bodies() {
        return Stream.of(
                body("\n", false, false, false),
                body("\r\n", false, false, false),
                body("\r", false, false, false),
                body("\n", true, false, false),
                body("\r\n", true, true, false),
                body("\n", false, true, true),
                body("\r", true, true, true),
                // The body ends right after [DONE], without the blank line.
                body("\n", false, false, false).replaceAll("\n\n$", "\n"),
                body("\r\n", true, true, true).replaceAll("\r\n\r\n$", ""));
    }

    private static String body(String eol, boolean comments, boolean eventField, boolean multiline) {
        StringBuilder body = new StringBuilder();
        if (comments) {
            body.append(": connected").append(eol).append(eol);
        }
        for (String token : TOKENS) {
            if (eventField) {
                body.append("event: message").append(eol);
            }
            String json = "{\"event\":\"message\",\"data\":{\"content\":\"" + token + "\"}}";
            if (multiline) {
                body.append("data: {\"event\":\"message\",").append(eol);
                body.append("data: \"data\":{\"content\":\"")
                        .append(token)
                        .append("\"}}")
                        .append(eol);
            } else {
                body.append("data: ").append(json).append(eol);
            }
            body.append(eol);
            if (comments) {
                body.append(": ping").append(eol);
            }
        }
        body.append("data: [DONE]").append(eol).append(eol);
        return body.toString();
    }

    @ParameterizedTest
    @MethodSource("bodies")
    void splitAtEveryByteIncludingInsideUtf8(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= bytes.length; cut++) {
            assertAnswer(parse(Arrays.copyOfRange(bytes, 0, cut), Arrays.copyOfRange(bytes, cut, bytes.length)));
        }
    }

    @ParameterizedTest
    @MethodSource("bodies")
    void oneByteAtATime(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        byte[][] pieces = new byte[bytes.length][];
        for (int i = 0; i < bytes.length; i++) {
            pieces[i] = new byte[] {bytes[i]};
        }
        assertAnswer(parse(pieces));
    }

    @Test
    void anInBandErrorIsProviderError() {
        SnackPromptBodyParser parser = new SnackPromptBodyParser();
        assertThat(parser.feed("data: {\"event\":\"message\",\"data\":{\"content\":\"a\"}}\n\n"))
                .containsExactly(new ProviderChunk.Delta("a"));
        assertThatThrownBy(() -> parser.feed("data: {\"event\":\"error\",\"data\":{\"message\":\"quota\"}}\n\n"))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_ERROR);
                    assertThat(e.getMessage()).contains("quota");
                });
    }

    @Test
    void anErrorNamedOnlyByTheSseEventField() {
        assertThatThrownBy(() -> new SnackPromptBodyParser().feed("event: error\ndata: {\"message\":\"down\"}\n\n"))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_ERROR);
                    assertThat(e.getMessage()).contains("down");
                });
        assertThatThrownBy(() -> new SnackPromptBodyParser().feed("event: error\ndata: overloaded\n\n"))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.getMessage()).contains("overloaded"));
    }

    @Test
    void unknownEventTypesAndEmptyContentAreSkipped() {
        SnackPromptBodyParser parser = new SnackPromptBodyParser();
        assertThat(parser.feed("data: {\"event\":\"sources\",\"data\":{\"items\":[]}}\n\n"
                        + "data: {\"event\":\"message\",\"data\":{\"content\":\"\"}}\n\n"
                        + "data: {\"event\":\"message\",\"data\":{}}\n\n"))
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "data: {\"event\":\"message\",\"data\":{\"content\":\n\n",
                "data: not json\n\n",
                "data: [1]\n\n",
                "data: {\"event\":\"message\",\"data\":{\"content\":{\"x\":1}}}\n\n"
            })
    void malformedEventsAreProtocolErrors(String body) {
        assertThatThrownBy(() -> new SnackPromptBodyParser().feed(body))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR));
    }

    @Test
    void aBodyWithoutDoneHasNoCompletion() {
        SnackPromptBodyParser parser = new SnackPromptBodyParser();
        List<ProviderChunk> chunks =
                new ArrayList<>(parser.feed("data: {\"event\":\"message\",\"data\":{\"content\":\"a\"}}"));
        chunks.addAll(parser.finish());
        assertThat(chunks).containsExactly(new ProviderChunk.Delta("a"));
    }

    private static List<ProviderChunk> parse(byte[]... pieces) {
        SnackPromptBodyParser parser = new SnackPromptBodyParser();
        Utf8StreamDecoder utf8 = new Utf8StreamDecoder();
        List<ProviderChunk> chunks = new ArrayList<>();
        for (byte[] piece : pieces) {
            chunks.addAll(parser.feed(utf8.decode(piece)));
        }
        chunks.addAll(parser.feed(utf8.finish()));
        chunks.addAll(parser.finish());
        return chunks;
    }

    private static void assertAnswer(List<ProviderChunk> chunks) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < chunks.size() - 1; i++) {
            text.append(((ProviderChunk.Delta) chunks.get(i)).text());
        }
        assertThat(text.toString()).isEqualTo(String.join("", TOKENS));
        assertThat(chunks.get(chunks.size() - 1)).isInstanceOf(ProviderChunk.Completion.class);
        assertThat(((ProviderChunk.Completion) chunks.get(chunks.size() - 1)).usage())
                .isEqualTo(Usage.none());
        assertThat(chunks.stream().filter(ProviderChunk.Completion.class::isInstance))
                .hasSize(1);
    }
}
