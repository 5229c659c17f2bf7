package io.chatstream.provider.snackprompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatstream.contract.event.ErrorCode;
import io.chatstream.contract.event.Usage;
import io.chatstream.provider.ProviderChunk;
import io.chatstream.provider.ProviderException;
import io.chatstream.provider.transport.BodyParser;
import io.chatstream.provider.transport.SseDecoder;
import io.chatstream.provider.transport.SseEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code /v1/kb/chat/stream} body: SSE events whose {@code data} is {@code {"event": "message",
 * "data": {"content": …}}} (a delta), {@code {"event": "error", "data": {"message": …}}} (an
 * in-band error) or {@code [DONE]} (the end; SnackPrompt reports no usage). Other event types are
 * skipped. Should the vendor name the event in the SSE {@code event:} field instead of the JSON
 * envelope, that name is used and the JSON is the payload itself. One per stream.
 */
final class SnackPromptBodyParser implements BodyParser {

    static final String DONE = "[DONE]";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SseDecoder sse = new SseDecoder();

    @Override
    public List<ProviderChunk> feed(String text) {
        return parse(sse.feed(text));
    }

    @Override
    public List<ProviderChunk> finish() {
        return parse(sse.finish());
    }

    private List<ProviderChunk> parse(List<SseEvent> events) {
        List<ProviderChunk> out = new ArrayList<>();
        for (SseEvent event : events) {
            ProviderChunk chunk = parse(event);
            if (chunk != null) {
                out.add(chunk);
            }
        }
        return out;
    }

    private static ProviderChunk parse(SseEvent event) {
        String data = event.data().trim();
        if (DONE.equals(data)) {
            return ProviderChunk.Completion.of(Usage.none());
        }
        JsonNode json;
        try {
            json = JSON.readTree(data);
        } catch (Exception e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            if ("error".equals(event.event())) {
                throw new ProviderException(ErrorCode.PROVIDER_ERROR, "vendor error: " + clip(data));
            }
            throw new ProviderException(ErrorCode.PROTOCOL_ERROR, "the vendor sent an event that is not a JSON object");
        }
        boolean enveloped = json.path("event").isTextual();
        String type = enveloped ? json.path("event").asText() : event.event();
        JsonNode payload = enveloped ? json.path("data") : json;
        switch (type) {
            case "message" -> {
                JsonNode content = payload.path("content");
                if (content.isTextual()) {
                    return content.asText().isEmpty() ? null : new ProviderChunk.Delta(content.asText());
                }
                if (content.isMissingNode() || content.isNull()) {
                    return null;
                }
                throw new ProviderException(ErrorCode.PROTOCOL_ERROR, "a message event whose content is not text");
            }
            case "error" -> throw new ProviderException(
                    ErrorCode.PROVIDER_ERROR, "vendor error: " + errorMessage(payload));
            default -> {
                return null; // an event type this connector does not know: skipped
            }
        }
    }

    /** The vendor's words: {@code message}, or {@code detail} (its HTTP error shape), or the payload itself. */
    static String errorMessage(JsonNode payload) {
        String message;
        if (payload.isTextual()) {
            message = payload.asText();
        } else if (payload.path("message").isTextual()) {
            message = payload.path("message").asText();
        } else if (payload.path("detail").isTextual()) {
            message = payload.path("detail").asText();
        } else if (payload.has("detail")) {
            message = payload.get("detail").toString();
        } else {
            message = "";
        }
        return message.isBlank() ? "unspecified" : clip(message);
    }

    private static String clip(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
