package io.chatstream.provider.chatbase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatstream.contract.event.ErrorCode;
import io.chatstream.contract.event.Usage;
import io.chatstream.provider.ProviderChunk;
import io.chatstream.provider.ProviderException;
import io.chatstream.provider.transport.BodyParser;
import io.chatstream.provider.transport.Utf8StreamDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChatbaseParsersTest {

    private static final String ANSWER = "café\n日本語 🚀 ok";

    @Test
    void rawTextIsTheAnswerAtEverySplitAndEndsWithTheBody() {
        assertEverySplit(ANSWER.getBytes(StandardCharsets.UTF_8), ChatbaseRawParser::new);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r\n", "\r"})
    void sseDataIsTheAnswerAtEverySplitAndEndsWithDone(String eol) {
        String body = ": hi" + eol + eol
                + "data: café" + eol + "data: 日本語" + eol + eol
                + "data:  🚀" + eol + eol
                + "data:  ok" + eol + eol
                + "data: [DONE]" + eol + eol;
        assertEverySplit(body.getBytes(StandardCharsets.UTF_8), ChatbaseSseParser::new);
    }

    @Test
    void anSseBodyWithoutDoneHasNoCompletion() {
        ChatbaseSseParser parser = new ChatbaseSseParser();
        assertThat(parser.feed("data: a\n\n")).containsExactly(new ProviderChunk.Delta("a"));
        assertThat(parser.finish()).isEmpty();
    }

    @Test
    void nothingAfterDoneCounts() {
        assertThat(new ChatbaseSseParser().feed("data: a\n\ndata: [DONE]\n\ndata: b\n\n"))
                .containsExactly(new ProviderChunk.Delta("a"), ProviderChunk.Completion.of(Usage.none()));
    }

    @Test
    void anSseErrorEventIsProviderErrorWithTheVendorsWords() {
        assertThatThrownBy(() -> new ChatbaseSseParser().feed("event: error\ndata: {\"message\":\"boom\"}\n\n"))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_ERROR);
                    assertThat(e.getMessage()).endsWith("boom");
                });
        assertThatThrownBy(() -> new ChatbaseSseParser().feed("event: error\ndata: plain words\n\n"))
                .hasMessageEndingWith("plain words");
    }

    private static void assertEverySplit(byte[] bytes, Supplier<BodyParser> parsers) {
        assertThat(parse(List.of(bytes), parsers)).isEqualTo(ANSWER);
        for (int cut = 1; cut < bytes.length; cut++) {
            List<byte[]> pieces =
                    List.of(Arrays.copyOfRange(bytes, 0, cut), Arrays.copyOfRange(bytes, cut, bytes.length));
            assertThat(parse(pieces, parsers)).as("cut at byte %d", cut).isEqualTo(ANSWER);
        }
        List<byte[]> oneByteEach = new ArrayList<>();
        for (byte b : bytes) {
            oneByteEach.add(new byte[] {b});
        }
        assertThat(parse(oneByteEach, parsers)).isEqualTo(ANSWER);
    }

    /** The deltas' text; asserts that exactly one completion ends them. */
    private static String parse(List<byte[]> pieces, Supplier<BodyParser> parsers) {
        Utf8StreamDecoder utf8 = new Utf8StreamDecoder();
        BodyParser parser = parsers.get();
        List<ProviderChunk> chunks = new ArrayList<>();
        for (byte[] piece : pieces) {
            chunks.addAll(parser.feed(utf8.decode(piece)));
        }
        chunks.addAll(parser.feed(utf8.finish()));
        if (chunks.stream().noneMatch(ProviderChunk.Completion.class::isInstance)) {
            chunks.addAll(parser.finish());
        }
        assertThat(chunks.stream().filter(ProviderChunk.Completion.class::isInstance))
                .hasSize(1);
        assertThat(chunks.get(chunks.size() - 1)).isInstanceOf(ProviderChunk.Completion.class);
        StringBuilder text = new StringBuilder();
        for (ProviderChunk chunk : chunks) {
            if (chunk instanceof ProviderChunk.Delta delta) {
                assertThat(delta.text()).isNotEmpty();
                text.append(delta.text());
            }
        }
        return text.toString();
    }
}
