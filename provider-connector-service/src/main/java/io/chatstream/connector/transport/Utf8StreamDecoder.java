package io.chatstream.connector.transport;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes UTF-8 that arrives in arbitrary pieces: a character cut between two network reads is
 * kept until its last byte arrives, instead of turning into two replacement characters as {@code
 * new String(bytes)} per read would. Invalid bytes become U+FFFD. Not thread-safe.
 */
public final class Utf8StreamDecoder {

    private final CharsetDecoder decoder = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    /** At most 3 bytes of an unfinished character from the previous read. */
    private byte[] leftover = new byte[0];

    /** The text of these bytes, without a trailing incomplete character (kept for the next call). */
    public String decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.allocate(leftover.length + bytes.length);
        in.put(leftover).put(bytes).flip();
        CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
        CoderResult result = decoder.decode(in, out, false);
        if (result.isError()) {
            // With REPLACE this cannot happen; fail loudly rather than lose text silently.
            throw new IllegalStateException("UTF-8 decoder reported " + result);
        }
        leftover = new byte[in.remaining()];
        in.get(leftover);
        return out.flip().toString();
    }

    /** At the end of the stream: what is left (an unfinished character becomes U+FFFD). */
    public String finish() {
        ByteBuffer in = ByteBuffer.wrap(leftover);
        CharBuffer out = CharBuffer.allocate(leftover.length + 2);
        decoder.decode(in, out, true);
        decoder.flush(out);
        decoder.reset();
        leftover = new byte[0];
        return out.flip().toString();
    }
}
