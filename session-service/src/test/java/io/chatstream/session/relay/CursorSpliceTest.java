package io.chatstream.session.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatstream.contract.event.EventJson;
import io.chatstream.contract.event.MessageEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CursorSpliceTest {

    @Test
    void addsTheCursorAsTheLastField() {
        String json = new String(EventJson.encode(MessageEvent.delta("s-1", "m-1", 1, "Hel")), StandardCharsets.UTF_8);

        String frame = CursorSplice.splice(json, new Cursor(3, 42));

        assertThat(frame)
                .isEqualTo("{\"type\":\"message.delta\",\"sessionId\":\"s-1\",\"messageId\":\"m-1\",\"seq\":1,"
                        + "\"text\":\"Hel\",\"cursor\":\"3-42\"}");
        MessageEvent decoded = EventJson.decode(frame.getBytes(StandardCharsets.UTF_8), MessageEvent.class);
        assertThat(decoded).isEqualTo(MessageEvent.delta("s-1", "m-1", 1, "Hel"));
    }

    @Test
    void keepsTextThatLooksLikeJsonIntact() {
        String frame = CursorSplice.splice("{\"text\":\"a } b\"}\n  ", new Cursor(0, 0));
        assertThat(frame).isEqualTo("{\"text\":\"a } b\",\"cursor\":\"0-0\"}");
    }

    @Test
    void emptyObjectGetsNoLeadingComma() {
        assertThat(CursorSplice.splice("{ }", new Cursor(1, 2))).isEqualTo("{\"cursor\":\"1-2\"}");
    }

    @Test
    void refusesWhatIsNotAnObject() {
        assertThatThrownBy(() -> CursorSplice.splice("[1]", new Cursor(0, 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CursorSplice.splice("", new Cursor(0, 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cursorsRoundTripAndRejectForeignText() {
        assertThat(Cursor.parse("7-123")).contains(new Cursor(7, 123));
        assertThat(new Cursor(7, 123)).hasToString("7-123");
        assertThat(Cursor.parse("abc")).isEmpty();
        assertThat(Cursor.parse("-1-2")).isEmpty();
        assertThat(Cursor.parse("1-")).isEmpty();
        assertThat(Cursor.parse(null)).isEmpty();
    }
}
