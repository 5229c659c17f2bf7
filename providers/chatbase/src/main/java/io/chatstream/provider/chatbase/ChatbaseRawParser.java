package io.chatstream.provider.chatbase;

import io.chatstream.provider.ProviderChunk;
import io.chatstream.provider.transport.BodyParser;
import java.util.List;

/**
 * A raw text body (the official examples): every piece is a delta, and the end of the body is the
 * end signal. A body cut mid-way by a reset connection, or by chunked encoding broken before its
 * zero-length last chunk, never reaches {@link #finish()}: the HTTP client reports it as an error,
 * which is {@code incomplete}.
 */
final class ChatbaseRawParser implements BodyParser {

    @Override
    public List<ProviderChunk> feed(String text) {
        return text.isEmpty() ? List.of() : List.of(new ProviderChunk.Delta(text));
    }

    @Override
    public List<ProviderChunk> finish() {
        // Raw text states no usage and no final text: the deltas are the answer.
        return List.of(ProviderChunk.Completion.of(io.chatstream.contract.event.Usage.none()));
    }
}
