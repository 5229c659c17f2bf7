package io.chatstream.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatstream.contract.event.ChatRequestEvent;
import io.chatstream.contract.event.ErrorCode;
import io.chatstream.contract.event.EventJson;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.contract.event.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins the JSON shape of every contract record to a golden file: a change of shape must be a
 * change of the golden file too, made on purpose (docs/api.md).
 */
class MessageEventGoldenTest {

    static Stream<Arguments> records() {
        String s = "s-1";
        String m = "0192b3c4-d5e6-7f00-8a00-000000000001";
        return Stream.of(
                Arguments.of("message.started.json", MessageEvent.started(s, m, "demo", "demo")),
                Arguments.of("message.delta.json", MessageEvent.delta(s, m, 1, "Hel")),
                Arguments.of("message.reset.json", MessageEvent.reset(s, m, 3)),
                Arguments.of(
                        "message.completed.json",
                        MessageEvent.completed(
                                s,
                                m,
                                4,
                                "Hello",
                                Map.of("suggestions", java.util.List.of("More?")),
                                Usage.vendor(12, 3))),
                Arguments.of(
                        "message.failed.json",
                        MessageEvent.failed(s, m, 2, "He", ErrorCode.INCOMPLETE.withMessage("stream ended early"))),
                Arguments.of("message.cancelled.json", MessageEvent.cancelled(s, m, 2, "He", Usage.none())),
                Arguments.of(
                        "chat.request.json",
                        new ChatRequestEvent(
                                s,
                                m,
                                "demo",
                                "demo",
                                "Hello",
                                Map.of("locale", "en"),
                                "k-1a2b3c",
                                Instant.parse("2026-11-21T08:00:00Z"),
                                "8d0f2c5e-3b1a-4f6e-9c2d-7a5b4e3f2a1c")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    void encodesToTheGoldenShape(String golden, Object record) throws IOException {
        JsonNode expected = EventJson.mapper().readTree(read(golden));
        JsonNode actual = EventJson.mapper().readTree(EventJson.encode(record));
        assertThat(actual).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    void decodesTheGoldenShapeBack(String golden, Object record) throws IOException {
        assertThat(EventJson.decode(read(golden).getBytes(StandardCharsets.UTF_8), record.getClass()))
                .isEqualTo(record);
    }

    @org.junit.jupiter.api.Test
    void anEmojiIsWrittenAsUtf8NotAsSurrogateEscapes() {
        String json = new String(EventJson.encode(MessageEvent.delta("s", "m", 1, "🚀 ok")), StandardCharsets.UTF_8);
        assertThat(json).contains("\"text\":\"🚀 ok\"");
    }

    private static String read(String golden) throws IOException {
        try (InputStream in = MessageEventGoldenTest.class.getResourceAsStream("/golden/" + golden)) {
            assertThat(in).as("golden file %s", golden).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
