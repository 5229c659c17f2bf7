package io.chatstream.provider.aui;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatstream.contract.event.ErrorCode;
import io.chatstream.provider.ProviderException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads one (reassembled) WebSocket text message of the AUI session. Accepts both shapes of the
 * progress event: {@code {"event": E, "data": {"text"}}} (messaging docs) and {@code {"channel":
 * {"event_name": E}, "scope": {"context": …}, "data": {"text"}}} (AsyncAPI spec). The final message
 * is the bare {@code ExternalTaskMessage} ({@code id, text, sender, created_at, …}); its products
 * come as {@code options} (docs) or {@code cards} (spec).
 */
final class AuiEventParser {

    static final String TEXT_UPDATED = "thread-message-text-content-updated";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    private AuiEventParser() {}

    static AuiEvent parse(String message) {
        JsonNode json;
        try {
            json = JSON.readTree(message);
        } catch (Exception e) {
            throw new ProviderException(
                    ErrorCode.PROTOCOL_ERROR, "the vendor sent a WebSocket message that is not JSON");
        }
        if (json == null || !json.isObject()) {
            throw new ProviderException(
                    ErrorCode.PROTOCOL_ERROR, "the vendor sent a WebSocket message that is not a JSON object");
        }
        String eventName = eventName(json);
        if (TEXT_UPDATED.equals(eventName)) {
            JsonNode text = json.path("data").path("text");
            if (!text.isTextual()) {
                throw new ProviderException(ErrorCode.PROTOCOL_ERROR, "a text update without data.text");
            }
            return new AuiEvent.Progress(text.asText());
        }
        JsonNode error = errorPayload(json);
        if (error != null) {
            return new AuiEvent.Error(error.path("status_code").asInt(), errorMessage(error));
        }
        if (eventName == null && json.path("text").isTextual() && json.hasNonNull("id")) {
            return new AuiEvent.Final(json.path("text").asText(), completionData((ObjectNode) json));
        }
        return new AuiEvent.Ignored();
    }

    /** The event name of either shape, or null for a message that has none (the final message, an error). */
    private static String eventName(JsonNode json) {
        JsonNode docs = json.get("event");
        if (docs != null && docs.isTextual()) {
            return docs.asText();
        }
        JsonNode spec = json.path("channel").get("event_name");
        return spec != null && spec.isTextual() ? spec.asText() : null;
    }

    /** {@code {status_code, …}} at the top, or as the {@code data} of a named event. */
    private static JsonNode errorPayload(JsonNode json) {
        if (json.path("status_code").canConvertToInt() && !json.has("text")) {
            return json;
        }
        JsonNode data = json.path("data");
        if (eventName(json) != null && data.path("status_code").canConvertToInt()) {
            return data;
        }
        return null;
    }

    static String errorMessage(JsonNode error) {
        String message = error.path("message").asText("");
        String description = error.path("description").asText("");
        String text = description.isBlank() ? message : message.isBlank() ? description : description + ": " + message;
        if (text.isBlank()) {
            text = "unspecified";
        }
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    /**
     * The final message's extras: {@code message_id} (its {@code id}), {@code products} (its {@code
     * options} or {@code cards}), and every other field as sent ({@code followup_suggestions},
     * {@code sender}, {@code created_at}, {@code variants_options} …), without {@code text}, which
     * is the completed text itself.
     */
    static Map<String, Object> completionData(ObjectNode message) {
        Map<String, Object> fields = JSON.convertValue(message, MAP);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("message_id", fields.remove("id"));
        fields.remove("text");
        Object options = fields.remove("options");
        Object cards = fields.remove("cards");
        Object products = options != null ? options : cards;
        if (products != null) {
            data.put("products", products);
        }
        data.putAll(fields);
        return data;
    }
}
