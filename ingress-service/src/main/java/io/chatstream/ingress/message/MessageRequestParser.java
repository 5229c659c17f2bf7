package io.chatstream.ingress.message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatstream.contract.event.EventJson;
import io.chatstream.ingress.config.IngressConfig;
import io.chatstream.ingress.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Map;

/**
 * Reads a message body by hand rather than by binding, so that every way a body can be wrong gets
 * its own clear 400 ({@code detail} says which field and why). Unknown fields are ignored.
 */
@ApplicationScoped
public class MessageRequestParser {

    private final ObjectMapper mapper = EventJson.mapper();
    private final int maxTextChars;

    public MessageRequestParser(IngressConfig config) {
        this.maxTextChars = config.limits().maxTextChars();
    }

    public MessageRequest parse(byte[] body) {
        JsonNode json;
        try {
            json = body == null || body.length == 0 ? null : mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest(
                    "invalid_json", "The body is not valid JSON: " + e.getOriginalMessage() + ".");
        } catch (IOException e) {
            throw ProblemException.badRequest("invalid_json", "The body cannot be read as JSON.");
        }
        if (json == null || !json.isObject()) {
            throw ProblemException.badRequest("invalid_body", "The body must be a JSON object with 'bot' and 'text'.");
        }
        String bot = requiredString(json, "bot");
        String text = requiredString(json, "text");
        if (text.isBlank()) {
            throw ProblemException.badRequest("invalid_text", "'text' must not be empty.");
        }
        int chars = text.codePointCount(0, text.length());
        if (chars > maxTextChars) {
            throw ProblemException.badRequest(
                    "text_too_long", "'text' has " + chars + " characters; at most " + maxTextChars + " are accepted.");
        }
        if (!storable(text)) {
            throw ProblemException.badRequest(
                    "invalid_text", "'text' must be Unicode text: no NUL character (\\u0000), no lone surrogate.");
        }
        JsonNode context = json.get("context");
        if (context != null && !context.isNull() && !context.isObject()) {
            throw ProblemException.badRequest("invalid_context", "'context' must be a JSON object when present.");
        }
        return new MessageRequest(bot, text, context == null || context.isNull() ? null : toMap(context));
    }

    private static String requiredString(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            throw ProblemException.badRequest("missing_" + field, "'" + field + "' is required.");
        }
        if (!value.isTextual()) {
            throw ProblemException.badRequest("invalid_" + field, "'" + field + "' must be a string.");
        }
        return value.asText();
    }

    @SuppressWarnings("unchecked")
    /**
     * Whether the text is what history stores and a vendor receives unchanged: PostgreSQL's text
     * refuses NUL, and a lone surrogate has no UTF-8 form (it would reach the vendor as '?').
     */
    static boolean storable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private Map<String, Object> toMap(JsonNode context) {
        return mapper.convertValue(context, Map.class);
    }
}
