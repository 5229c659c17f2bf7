package io.chatstream.provider.chatbotkit;

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
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChatbotkitBodyParserTest {

    private static String body(String eol) {
        return String.join(
                        eol,
                        "{\"type\":\"completeBegin\",\"data\":{}}",
                        "{\"type\":\"reasoningToken\",\"data\":{\"token\":\"hmm\"}}",
                        "{\"type\":\"token\",\"data\":{\"token\":\"café \"}}",
                        "{\"type\":\"toolCallBegin\",\"data\":{\"text\":\"not the answer\"}}",
                        "{\"type\":\"token\",\"data\":{\"token\":\"日本語 🚀\"}}",
                        "{\"type\":\"completeEnd\",\"data\":{}}",
                        "{\"type\":\"message\",\"data\":{\"type\":\"bot\",\"text\":\"café 日本語 🚀\"}}",
                        "{\"type\":\"usage\",\"data\":{\"model\":\"m\",\"inputTokensUsed\":3,\"outputTokensUsed\":2}}",
                        "{\"type\":\"result\",\"data\":{\"id\":\"r\",\"text\":\"café 日本語 🚀!\","
                                + "\"usage\":{\"token\":5},\"end\":{\"reason\":\"stop\"}}}")
                + eol;
    }

    private static final List<ProviderChunk> EXPECTED = List.of(
            new ProviderChunk.Delta("café "),
            new ProviderChunk.Delta("日本語 🚀"),
            new ProviderChunk.Completion(
                    Optional.of("café 日本語 🚀!"), Map.of("endReason", "stop", "model", "m"), Usage.vendor(3, 2)));

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r\n", "\n\n", "\r\n\r\n"})
    void everySplitPositionGivesTheSameAnswer(String eol) {
        byte[] bytes = body(eol).getBytes(StandardCharsets.UTF_8);
        assertThat(text(parse(List.of(bytes)))).isEqualTo(text(EXPECTED));
        assertThat(last(parse(List.of(bytes)))).isEqualTo(EXPECTED.get(2));
        for (int cut = 1; cut < bytes.length; cut++) {
            List<ProviderChunk> chunks =
                    parse(List.of(Arrays.copyOfRange(bytes, 0, cut), Arrays.copyOfRange(bytes, cut, bytes.length)));
            assertThat(text(chunks)).as("cut at byte %d", cut).isEqualTo(text(EXPECTED));
            assertThat(last(chunks)).as("cut at byte %d", cut).isEqualTo(EXPECTED.get(2));
        }
        List<byte[]> oneByteEach = new ArrayList<>();
        for (byte b : bytes) {
            oneByteEach.add(new byte[] {b});
        }
        List<ProviderChunk> chunks = parse(oneByteEach);
        assertThat(text(chunks)).isEqualTo(text(EXPECTED));
        assertThat(last(chunks)).isEqualTo(EXPECTED.get(2));
    }

    @Test
    void anInBandErrorIsProviderErrorWithTheVendorsWords() {
        ChatbotkitBodyParser parser = new ChatbotkitBodyParser();
        assertThat(parser.feed("{\"type\":\"token\",\"data\":{\"token\":\"a\"}}\n"))
                .hasSize(1);
        assertThatThrownBy(() -> parser.feed("{\"type\":\"error\",\"data\":{\"message\":\"boom\",\"code\":\"X\"}}\n"))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_ERROR);
                    assertThat(e.getMessage()).contains("boom (X)");
                });
    }

    @Test
    void aResultThatEndedInErrorIsProviderError() {
        assertThatThrownBy(() -> new ChatbotkitBodyParser()
                        .feed("{\"type\":\"result\",\"data\":{\"text\":\"\",\"end\":{\"reason\":\"error\"}}}\n"))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_ERROR));
    }

    @Test
    void otherEndReasonsCompleteAndAreKept() {
        List<ProviderChunk> chunks = new ChatbotkitBodyParser()
                .feed("{\"type\":\"result\",\"data\":{\"text\":\"t\",\"usage\":{\"inputTokensUsed\":1,"
                        + "\"outputTokensUsed\":4},\"end\":{\"reason\":\"length\"}}}\n");
        assertThat(chunks)
                .containsExactly(new ProviderChunk.Completion(
                        Optional.of("t"), Map.of("endReason", "length"), Usage.vendor(1, 4)));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"type\":\"token\",\"data\":{\"tok",
                "not json",
                "[1,2]",
                "{\"data\":{}}",
                "{\"type\":\"token\"}"
            })
    void unreadableLinesAreProtocolErrors(String line) {
        ChatbotkitBodyParser parser = new ChatbotkitBodyParser();
        assertThatThrownBy(() -> {
                    parser.feed(line + "\n");
                    parser.finish();
                })
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR));
    }

    @Test
    void aBodyEndingAfterCompleteEndWithoutResultEndsWithTheBotMessage() {
        ChatbotkitBodyParser parser = new ChatbotkitBodyParser();
        parser.feed("{\"type\":\"token\",\"data\":{\"token\":\"a\"}}\n{\"type\":\"completeEnd\",\"data\":{}}\n"
                + "{\"type\":\"message\",\"data\":{\"type\":\"bot\",\"text\":\"ab\"}}");
        assertThat(parser.finish())
                .containsExactly(new ProviderChunk.Completion(Optional.of("ab"), Map.of(), Usage.none()));
    }

    @Test
    void aBodyEndingWithoutResultOrCompleteEndHasNoCompletion() {
        ChatbotkitBodyParser parser = new ChatbotkitBodyParser();
        parser.feed("{\"type\":\"completeBegin\",\"data\":{}}\n{\"type\":\"token\",\"data\":{\"token\":\"a\"}}\n");
        assertThat(parser.finish()).isEmpty();
    }

    private static List<ProviderChunk> parse(List<byte[]> pieces) {
        Utf8StreamDecoder utf8 = new Utf8StreamDecoder();
        ChatbotkitBodyParser parser = new ChatbotkitBodyParser();
        List<ProviderChunk> chunks = new ArrayList<>();
        for (byte[] piece : pieces) {
            chunks.addAll(parser.feed(utf8.decode(piece)));
        }
        chunks.addAll(parser.feed(utf8.finish()));
        chunks.addAll(parser.finish());
        return chunks;
    }

    private static String text(List<ProviderChunk> chunks) {
        StringBuilder text = new StringBuilder();
        chunks.stream()
                .filter(ProviderChunk.Delta.class::isInstance)
                .forEach(c -> text.append(((ProviderChunk.Delta) c).text()));
        return text.toString();
    }

    private static ProviderChunk last(List<ProviderChunk> chunks) {
        assertThat(chunks.stream().filter(ProviderChunk.Completion.class::isInstance))
                .hasSize(1);
        return chunks.get(chunks.size() - 1);
    }
}
