package io.chatstream.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatstream.contract.event.EventJson;
import io.chatstream.contract.event.MessageEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What {@link MessageEventGoldenTest} does not see, comparing JSON trees: the bytes. Clients and
 * the session-service's cursor splice read the producer's JSON as it is, so the field order (the
 * golden files' order, {@code type} first) is part of the wire shape.
 */
class MessageEventWireTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.chatstream.contract.MessageEventGoldenTest#records")
    void encodesTheGoldenFieldsInTheGoldenOrder(String golden, Object record) throws IOException {
        String expected =
                EventJson.mapper().writeValueAsString(EventJson.mapper().readTree(read(golden)));
        assertThat(new String(EventJson.encode(record), StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    @Test
    void aMergedDeltaCarriesFromSeqAfterSeq() {
        MessageEvent merged = new MessageEvent.Delta("s-1", "m-1", 7, 5L, "abc");
        assertThat(new String(EventJson.encode(merged), StandardCharsets.UTF_8))
                .isEqualTo("{\"type\":\"message.delta\",\"sessionId\":\"s-1\",\"messageId\":\"m-1\","
                        + "\"seq\":7,\"fromSeq\":5,\"text\":\"abc\"}");
        assertThat(EventJson.decode(EventJson.encode(merged), MessageEvent.class))
                .isEqualTo(merged);
    }

    @Test
    void decodesToTheRecordOfItsKindWhereverTheTypeIs() {
        String json = "{\"sessionId\":\"s-1\",\"messageId\":\"m-1\",\"seq\":3,\"type\":\"message.reset\"}";
        assertThat(EventJson.decode(json.getBytes(StandardCharsets.UTF_8), MessageEvent.class))
                .isEqualTo(new MessageEvent.Reset("s-1", "m-1", 3));
    }

    @Test
    void toleratesFieldsAddedByNewerWriters() {
        String json = "{\"type\":\"message.delta\",\"sessionId\":\"s-1\",\"messageId\":\"m-1\",\"seq\":1,"
                + "\"text\":\"a\",\"lang\":\"en\"}";
        assertThat(EventJson.decode(json.getBytes(StandardCharsets.UTF_8), MessageEvent.class))
                .isEqualTo(MessageEvent.delta("s-1", "m-1", 1, "a"));
    }

    @Test
    void aKindNobodyKnowsDoesNotDecode() {
        String json = "{\"type\":\"message.unheard-of\",\"sessionId\":\"s-1\",\"messageId\":\"m-1\",\"seq\":1}";
        assertThatThrownBy(() -> EventJson.decode(json.getBytes(StandardCharsets.UTF_8), MessageEvent.class))
                .isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void theTerminalKindsAreExactlyThoseThatEndAMessage() {
        assertThat(MessageEvent.completed("s", "m", 1, "", null, null).isTerminal())
                .isTrue();
        assertThat(MessageEvent.failed("s", "m", 1, "", null).isTerminal()).isTrue();
        assertThat(MessageEvent.cancelled("s", "m", 1, "", null).isTerminal()).isTrue();
        assertThat(MessageEvent.started("s", "m", "b", "p").isTerminal()).isFalse();
        assertThat(MessageEvent.delta("s", "m", 1, "").isTerminal()).isFalse();
        assertThat(MessageEvent.reset("s", "m", 1).isTerminal()).isFalse();
        for (String type : new String[] {MessageEvent.COMPLETED, MessageEvent.FAILED, MessageEvent.CANCELLED}) {
            assertThat(MessageEvent.isTerminalType(type)).as(type).isTrue();
        }
        for (String type : new String[] {MessageEvent.STARTED, MessageEvent.DELTA, MessageEvent.RESET, "x"}) {
            assertThat(MessageEvent.isTerminalType(type)).as(type).isFalse();
        }
    }

    @Test
    void theOutcomeOfATerminalEventIsItsKindWithoutThePrefix() {
        assertThat(MessageEvent.completed("s", "m", 1, "", null, null).outcome())
                .isEqualTo("completed");
        assertThat(MessageEvent.failed("s", "m", 1, "", null).outcome()).isEqualTo("failed");
        assertThat(MessageEvent.cancelled("s", "m", 1, "", null).outcome()).isEqualTo("cancelled");
    }

    @Test
    void theTextOfAnAnswerIsItsDeltasSinceTheLastReset() {
        assertThat(MessageEvent.textSinceLastReset(List.of(
                        MessageEvent.started("s", "m", "b", "p"),
                        MessageEvent.delta("s", "m", 1, "old"),
                        MessageEvent.reset("s", "m", 2),
                        MessageEvent.delta("s", "m", 3, "Hel"),
                        MessageEvent.delta("s", "m", 4, "lo"))))
                .isEqualTo("Hello");
    }

    private static String read(String golden) throws IOException {
        try (InputStream in = MessageEventWireTest.class.getResourceAsStream("/golden/" + golden)) {
            assertThat(in).as("golden file %s", golden).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
