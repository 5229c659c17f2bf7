package io.chatstream.provider.lingoblocks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;

class SocketSignalTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static SocketSignal message(String json) throws Exception {
        return SocketSignal.of("message", JSON.readTree(json));
    }

    @Test
    void stringData() throws Exception {
        assertThat(message("{\"event\":\"chatbot.responseGenerated\",\"data\":\"日本語 🚀\"}"))
                .isEqualTo(new SocketSignal.Text("日本語 🚀"));
    }

    @Test
    void objectDataUnderTheUsualKeys() throws Exception {
        for (String key : SocketSignal.TEXT_KEYS) {
            assertThat(message("{\"event\":\"chatbot.responseGenerated\",\"data\":{\"id\":3,\"" + key + "\":\"x\"}}"))
                    .as(key)
                    .isEqualTo(new SocketSignal.Text("x"));
        }
        assertThat(message("{\"event\":\"chatbot.responseGenerated\",\"data\":{\"content\":\"c\",\"text\":\"t\"}}"))
                .isEqualTo(new SocketSignal.Text("t"));
    }

    @Test
    void dataWithoutTextIsIgnored() throws Exception {
        assertThat(message("{\"event\":\"chatbot.responseGenerated\",\"data\":{\"sources\":[]}}"))
                .isInstanceOf(SocketSignal.Ignored.class);
        assertThat(message("{\"event\":\"chatbot.responseGenerated\",\"data\":42}"))
                .isInstanceOf(SocketSignal.Ignored.class);
        assertThat(message("{\"event\":\"chatbot.responseGenerated\"}")).isInstanceOf(SocketSignal.Ignored.class);
    }

    @Test
    void otherEventsAreIgnored() throws Exception {
        assertThat(message("{\"event\":\"chatbot.typing\",\"data\":true}")).isInstanceOf(SocketSignal.Ignored.class);
        assertThat(message("{\"data\":\"no event\"}")).isInstanceOf(SocketSignal.Ignored.class);
        assertThat(SocketSignal.of(
                        "presence", JSON.readTree("{\"event\":\"chatbot.responseGenerated\",\"data\":\"x\"}")))
                .isInstanceOf(SocketSignal.Ignored.class);
        assertThat(SocketSignal.of("message", new TextNode("plain text"))).isInstanceOf(SocketSignal.Ignored.class);
        assertThat(SocketSignal.of("message", NullNode.getInstance())).isInstanceOf(SocketSignal.Ignored.class);
    }

    @Test
    void aPayloadSentAsAJsonStringIsRead() {
        JsonNode payload = new TextNode("{\"event\":\"chatbot.responseGenerated\",\"data\":\"x\"}");
        assertThat(SocketSignal.of("message", payload)).isEqualTo(new SocketSignal.Text("x"));
        assertThat(SocketSignal.of("message", new TextNode("{not json"))).isInstanceOf(SocketSignal.Ignored.class);
    }

    @Test
    void errorEventsAreFailuresWithTheVendorsWords() throws Exception {
        assertThat(message("{\"event\":\"chatbot.error\",\"data\":{\"message\":\"quota exceeded\"}}"))
                .isEqualTo(new SocketSignal.Failure("quota exceeded"));
        assertThat(message("{\"event\":\"chatbot.responseFailed\",\"data\":\"model down\"}"))
                .isEqualTo(new SocketSignal.Failure("model down"));
        assertThat(message("{\"event\":\"chatbot.error\",\"message\":\"top level\"}"))
                .isEqualTo(new SocketSignal.Failure("top level"));
        assertThat(SocketSignal.of("error", JSON.readTree("{\"error\":{\"message\":\"boom\"}}")))
                .isEqualTo(new SocketSignal.Failure("boom"));
        assertThat(SocketSignal.of("exception", NullNode.getInstance()))
                .isEqualTo(new SocketSignal.Failure("unspecified"));
    }
}
