package io.chatstream.provider.chatbotkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatstream.contract.event.ErrorCode;
import io.chatstream.contract.event.Usage;
import io.chatstream.provider.ProviderChunk;
import io.chatstream.provider.ProviderException;
import io.chatstream.provider.transport.BodyParser;
import io.chatstream.provider.transport.JsonLinesDecoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code /conversation/{id}/complete} body in {@code application/jsonl}: one {@code {"type",
 * "data"}} object per line. {@code token} is a delta; {@code usage} is kept; {@code error} is an
 * in-band failure; {@code result} ends the answer with the authoritative text and {@code
 * end.reason}. {@code reasoningToken}, {@code message}, {@code completeBegin} and unknown types are
 * not part of the answer. A body that ends after {@code completeEnd} without a {@code result} is
 * taken as ended too (the bot message, when one came, is its text); any other end is incomplete.
 */
final class ChatbotkitBodyParser implements BodyParser {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonLinesDecoder lines = new JsonLinesDecoder();
    private Usage usage = Usage.none();
    private String model;
    private String botMessage;
    private boolean completeEnd;
    /** A completion was returned: nothing after it counts. */
    private boolean ended;

    @Override
    public List<ProviderChunk> feed(String text) {
        return parse(lines.feed(text));
    }

    @Override
    public List<ProviderChunk> finish() {
        List<ProviderChunk> out = parse(lines.finish());
        if (!ended && completeEnd) {
            ended = true;
            out.add(new ProviderChunk.Completion(Optional.ofNullable(botMessage), data(null), usage));
        }
        return out;
    }

    private List<ProviderChunk> parse(List<String> batch) {
        List<ProviderChunk> out = new ArrayList<>();
        for (String line : batch) {
            if (ended) {
                break;
            }
            ProviderChunk chunk = parseLine(line);
            if (chunk != null) {
                out.add(chunk);
            }
        }
        return out;
    }

    /** The chunk of one line, or null; throws for an error event or a line it cannot read. */
    ProviderChunk parseLine(String line) {
        JsonNode event;
        try {
            event = JSON.readTree(line);
        } catch (Exception e) {
            throw new ProviderException(ErrorCode.PROTOCOL_ERROR, "the vendor sent a line that is not JSON");
        }
        if (event == null || !event.isObject() || !event.path("type").isTextual()) {
            throw new ProviderException(
                    ErrorCode.PROTOCOL_ERROR, "the vendor sent a line that is not a {\"type\", \"data\"} object");
        }
        JsonNode data = event.path("data");
        switch (event.get("type").asText()) {
            case "token" -> {
                JsonNode token = data.path("token");
                if (!token.isTextual()) {
                    throw new ProviderException(ErrorCode.PROTOCOL_ERROR, "the vendor sent a token event without text");
                }
                return token.asText().isEmpty() ? null : new ProviderChunk.Delta(token.asText());
            }
            case "usage" -> {
                usage = usageOf(data, usage);
                if (data.path("model").isTextual()) {
                    model = data.get("model").asText();
                }
                return null;
            }
            case "message" -> {
                if (data.path("text").isTextual()
                        && "bot".equals(data.path("type").asText("bot"))) {
                    botMessage = data.get("text").asText();
                }
                return null;
            }
            case "completeEnd" -> {
                completeEnd = true;
                return null;
            }
            case "error" -> throw new ProviderException(ErrorCode.PROVIDER_ERROR, "vendor error: " + message(data));
            case "result" -> {
                return result(data);
            }
            default -> {
                // reasoningToken, completeBegin and types added later are not part of the answer.
                return null;
            }
        }
    }

    private ProviderChunk result(JsonNode data) {
        String reason = data.path("end").path("reason").isTextual()
                ? data.path("end").path("reason").asText()
                : null;
        if ("error".equals(reason)) {
            throw new ProviderException(ErrorCode.PROVIDER_ERROR, "vendor error: the answer ended with reason error");
        }
        if (Usage.SOURCE_NONE.equals(usage.source())) {
            usage = usageOf(data.path("usage"), usage);
        }
        Optional<String> text =
                data.path("text").isTextual() ? Optional.of(data.get("text").asText()) : Optional.empty();
        ended = true;
        return new ProviderChunk.Completion(text, data(reason), usage);
    }

    private Map<String, Object> data(String reason) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (reason != null) {
            data.put("endReason", reason);
        }
        if (model != null) {
            data.put("model", model);
        }
        return data;
    }

    private static Usage usageOf(JsonNode data, Usage fallback) {
        Integer input = intOrNull(data.get("inputTokensUsed"));
        Integer output = intOrNull(data.get("outputTokensUsed"));
        return input == null && output == null ? fallback : Usage.vendor(input, output);
    }

    /** The vendor's own words from {@code {message, code}}. */
    static String message(JsonNode data) {
        String message = data.path("message").asText("");
        if (message.isBlank()) {
            message = "unspecified";
        }
        if (data.path("code").isTextual()) {
            message = message + " (" + data.get("code").asText() + ")";
        }
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }

    private static Integer intOrNull(JsonNode node) {
        return node != null && node.canConvertToInt() ? node.asInt() : null;
    }
}
