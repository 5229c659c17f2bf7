package io.chatstream.provider.lingoblocks;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What one socket.io event means for the answer being streamed. LingoBlocks documents only
 * {@code message} events whose {@code event} is {@code chatbot.responseGenerated}, with a {@code
 * data} of undocumented shape: a string, or an object whose text is under one of the usual keys.
 * Events whose name says error ({@code message} events with an {@code event} containing
 * "error" or "fail", socket.io events named {@code error} or {@code exception}) are in-band errors;
 * everything else is ignored.
 */
sealed interface SocketSignal {

    String RESPONSE_GENERATED = "chatbot.responseGenerated";

    /** The keys under which an object {@code data} may carry its text, in order of preference. */
    List<String> TEXT_KEYS = List.of("text", "content", "delta", "message", "response", "token", "chunk");

    /** A piece of the answer (a delta or the cumulative text: {@link AnswerText} tells). */
    record Text(String text) implements SocketSignal {}

    /** The vendor reported an error in the stream. */
    record Failure(String message) implements SocketSignal {}

    /** Not about the answer. */
    record Ignored() implements SocketSignal {}

    static SocketSignal of(String eventName, JsonNode payload) {
        if ("error".equals(eventName) || "exception".equals(eventName)) {
            return new Failure(errorMessage(payload));
        }
        if (payload != null && payload.isTextual() && payload.asText().startsWith("{")) {
            payload = parsed(payload.asText()); // a server that emits JSON.stringify(…)
        }
        if (!"message".equals(eventName) || payload == null || !payload.isObject()) {
            return new Ignored();
        }
        String event = payload.path("event").asText("");
        if (RESPONSE_GENERATED.equals(event)) {
            return textOf(payload.get("data")).<SocketSignal>map(Text::new).orElse(new Ignored());
        }
        String lower = event.toLowerCase(Locale.ROOT);
        if (lower.contains("error") || lower.contains("fail")) {
            JsonNode data = payload.get("data");
            return new Failure(errorMessage(data == null || data.isNull() ? payload : data));
        }
        return new Ignored();
    }

    private static JsonNode parsed(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** The text of a {@code data}: itself when a string, else the first string under {@link #TEXT_KEYS}. */
    static Optional<String> textOf(JsonNode data) {
        if (data == null) {
            return Optional.empty();
        }
        if (data.isTextual()) {
            return Optional.of(data.asText());
        }
        if (data.isObject()) {
            for (String key : TEXT_KEYS) {
                JsonNode value = data.get(key);
                if (value != null && value.isTextual()) {
                    return Optional.of(value.asText());
                }
            }
        }
        return Optional.empty();
    }

    /** The vendor's words: a string, or {@code message} / {@code error} of an object. */
    static String errorMessage(JsonNode node) {
        String message = "";
        if (node != null && node.isTextual()) {
            message = node.asText();
        } else if (node != null && node.isObject()) {
            JsonNode error = node.get("error");
            message = node.path("message").isTextual()
                    ? node.path("message").asText()
                    : error != null && error.isTextual()
                            ? error.asText()
                            : error != null ? error.path("message").asText("") : "";
        }
        if (message.isBlank()) {
            message = "unspecified";
        }
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }
}
