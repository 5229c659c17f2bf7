package io.chatstream.provider.chatbase;

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
 * A {@code text/event-stream} body: each {@code data:} event carries the next piece of the answer
 * as it is (several {@code data:} lines of one event join with {@code \n}), and {@code data:
 * [DONE]} ends it. An {@code event: error} event is an in-band error, its data the vendor's {@code
 * {"message"}} or plain words. A body that ends without {@code [DONE]} is incomplete.
 */
final class ChatbaseSseParser implements BodyParser {

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

    private static List<ProviderChunk> parse(List<SseEvent> events) {
        List<ProviderChunk> out = new ArrayList<>();
        for (SseEvent event : events) {
            if ("error".equals(event.event())) {
                throw new ProviderException(ErrorCode.PROVIDER_ERROR, "vendor error: " + errorMessage(event.data()));
            }
            if (DONE.equals(event.data().strip())) {
                out.add(ProviderChunk.Completion.of(Usage.none()));
                return out;
            }
            if (!event.data().isEmpty()) {
                out.add(new ProviderChunk.Delta(event.data()));
            }
        }
        return out;
    }

    /** The vendor's words: {@code {"message": …}} or the data itself. */
    static String errorMessage(String data) {
        String message = data.strip();
        try {
            JsonNode json = JSON.readTree(data);
            if (json != null && json.path("message").isTextual()) {
                message = json.get("message").asText();
            }
        } catch (Exception notJson) {
            // plain words
        }
        if (message.isBlank()) {
            message = "unspecified";
        }
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }
}
