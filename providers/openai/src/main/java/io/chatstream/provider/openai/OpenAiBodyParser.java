package io.chatstream.provider.openai;

import io.chatstream.provider.ProviderChunk;
import io.chatstream.provider.transport.BodyParser;
import io.chatstream.provider.transport.SseDecoder;
import io.chatstream.provider.transport.SseEvent;
import java.util.ArrayList;
import java.util.List;

/** A chat-completions body: SSE events, each {@code data} read by {@link OpenAiChunkParser}. */
final class OpenAiBodyParser implements BodyParser {

    private final SseDecoder sse = new SseDecoder();
    private final OpenAiChunkParser chunks = new OpenAiChunkParser();

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
            chunks.parse(event.data()).ifPresent(out::add);
        }
        return out;
    }
}
