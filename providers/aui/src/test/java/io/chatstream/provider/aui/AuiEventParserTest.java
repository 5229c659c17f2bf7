package io.chatstream.provider.aui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatstream.contract.event.ErrorCode;
import io.chatstream.provider.ProviderException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuiEventParserTest {

    @Test
    void theDocsProgressShape() {
        assertThat(AuiEventParser.parse(
                        "{\"event\":\"thread-message-text-content-updated\",\"data\":{\"text\":\"I found café\"}}"))
                .isEqualTo(new AuiEvent.Progress("I found café"));
    }

    @Test
    void theSpecProgressShape() {
        String spec = "{\"channel\":{\"type\":\"WEBSOCKET\",\"channel_name\":\"c\","
                + "\"event_name\":\"thread-message-text-content-updated\"},"
                + "\"scope\":{\"type\":\"LLM_ACTIVATION_EXECUTION\",\"data\":{\"status\":\"SUCCESS\"},"
                + "\"context\":{\"message_id\":\"m\",\"task_id\":\"t\",\"interaction_id\":\"i\"}},"
                + "\"data\":{\"text\":\"日本語 🚀\"}}";
        assertThat(AuiEventParser.parse(spec)).isEqualTo(new AuiEvent.Progress("日本語 🚀"));
    }

    @Test
    void theFinalMessageWithOptionsKeepsItsExtrasAndProducts() {
        String fin = "{\"id\":\"507f\",\"created_at\":\"2026-03-09T14:22:01.000Z\",\"text\":\"Here they are\","
                + "\"sender\":{\"id\":\"agent\",\"type\":\"agent\"},\"receiver\":{\"id\":\"u\"},"
                + "\"options\":[{\"id\":\"p1\"}],\"variants_options\":[],"
                + "\"followup_suggestions\":[\"What is the price range?\"]}";
        AuiEvent.Final parsed = (AuiEvent.Final) AuiEventParser.parse(fin);
        assertThat(parsed.text()).isEqualTo("Here they are");
        assertThat(parsed.data())
                .containsEntry("message_id", "507f")
                .containsEntry("products", List.of(Map.of("id", "p1")))
                .containsEntry("followup_suggestions", List.of("What is the price range?"))
                .containsEntry("created_at", "2026-03-09T14:22:01.000Z")
                .containsKeys("sender", "receiver", "variants_options")
                .doesNotContainKeys("text", "options", "id");
    }

    @Test
    void theFinalMessageWithCards() {
        AuiEvent.Final parsed = (AuiEvent.Final) AuiEventParser.parse(
                "{\"id\":\"m1\",\"text\":\"t\",\"cards\":[{\"id\":\"p2\"}],\"followup_suggestions\":[]}");
        assertThat(parsed.data())
                .containsEntry("products", List.of(Map.of("id", "p2")))
                .doesNotContainKey("cards");
    }

    @Test
    void anErrorPayload() {
        assertThat(
                        AuiEventParser.parse(
                                "{\"status_code\":401,\"description\":\"Not authenticated\",\"message\":\"Invalid API key\",\"extra_data\":{}}"))
                .isEqualTo(new AuiEvent.Error(401, "Not authenticated: Invalid API key"));
    }

    @Test
    void anErrorPayloadAsTheDataOfANamedEvent() {
        assertThat(AuiEventParser.parse(
                        "{\"channel\":{\"event_name\":\"error\"},\"data\":{\"status_code\":500,\"message\":\"boom\"}}"))
                .isEqualTo(new AuiEvent.Error(500, "boom"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"channel\":{\"event_name\":\"thread-message-created\"},\"data\":{\"id\":\"m\",\"text\":\"\"}}",
                "{\"event\":\"typing\"}",
                "{\"text\":\"no id: not the final message\"}"
            })
    void otherEventsAreSkipped(String message) {
        assertThat(AuiEventParser.parse(message)).isEqualTo(new AuiEvent.Ignored());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"event\":\"thread-message-text-content-updated\",\"data\":{\"text\":",
                "not json",
                "[1,2]",
                "\"text\"",
                "{\"event\":\"thread-message-text-content-updated\",\"data\":{\"text\":42}}"
            })
    void malformedMessagesAreProtocolErrors(String message) {
        assertThatThrownBy(() -> AuiEventParser.parse(message))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR));
    }
}
