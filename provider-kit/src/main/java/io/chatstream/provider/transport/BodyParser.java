package io.chatstream.provider.transport;

import io.chatstream.provider.ProviderChunk;
import io.chatstream.provider.ProviderException;
import java.util.List;

/**
 * Turns a vendor's streamed response body into chunks. It gets the body as text, already decoded
 * from UTF-8 across network reads, in pieces that do not line up with the vendor's frames: it
 * reassembles its frames itself (with {@link SseDecoder}, by lines …). A {@link
 * ProviderChunk.Completion} ends the stream; an error is a {@link ProviderException}.
 */
public interface BodyParser {

    /** The chunks that this piece of the body completes; may be empty. */
    List<ProviderChunk> feed(String text);

    /** The body ended: the chunks of a last unterminated frame, if the framing allows one. */
    List<ProviderChunk> finish();
}
