package io.chatstream.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatstream.contract.event.ErrorCode;
import io.chatstream.contract.event.Usage;
import io.chatstream.provider.ProviderChunk;
import io.chatstream.provider.ProviderException;
import java.util.Optional;

/**
 * Turns the {@code data} of one SSE event of a chat-completions stream into chunks: a content
 * delta, the usage (kept for the completion), {@code [DONE]}, or an in-band error. One per stream.
 */
final class OpenAiChunkParser {

    static final String DONE = "[DONE]";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Usage usage = Usage.none();

    /** The chunk of this event, if it carries one; throws for an error or an unreadable event. */
    Optional<ProviderChunk> parse(String data) {
        if (DONE.equals(data.trim())) {
            return Optional.of(ProviderChunk.Completion.of(usage));
        }
        JsonNode json;
        try {
            json = JSON.readTree(data);
        } catch (Exception e) {
            throw new ProviderException(ErrorCode.PROTOCOL_ERROR, "the vendor sent an event that is not JSON");
        }
        if (json == null || !json.isObject()) {
            throw new ProviderException(ErrorCode.PROTOCOL_ERROR, "the vendor sent an event that is not a JSON object");
        }
        JsonNode error = json.get("error");
        if (error != null && !error.isNull()) {
            throw new ProviderException(ErrorCode.PROVIDER_ERROR, "vendor error: " + errorMessage(error));
        }
        JsonNode reported = json.get("usage");
        if (reported != null && reported.isObject()) {
            usage = Usage.vendor(
                    intOrNull(reported.get("prompt_tokens")), intOrNull(reported.get("completion_tokens")));
        }
        JsonNode content = json.path("choices").path(0).path("delta").path("content");
        if (content.isTextual() && !content.asText().isEmpty()) {
            return Optional.of(new ProviderChunk.Delta(content.asText()));
        }
        return Optional.empty();
    }

    /** The vendor's own words, from {@code {"error": {"message": …}}} or a bare string. */
    static String errorMessage(JsonNode error) {
        String message =
                error.isTextual() ? error.asText() : error.path("message").asText("");
        if (message.isBlank()) {
            message = "unspecified";
        }
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }

    private static Integer intOrNull(JsonNode node) {
        return node != null && node.canConvertToInt() ? node.asInt() : null;
    }
}
