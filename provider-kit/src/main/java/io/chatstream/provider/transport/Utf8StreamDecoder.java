package io.chatstream.provider.transport;

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
    private static final byte[] NONE = new byte[0];

    /** At most 3 bytes of an unfinished character from the previous read. */
    private byte[] leftover = NONE;
    /** Reused between reads: this runs once per network read of every stream. */
    private CharBuffer out = CharBuffer.allocate(256);
    /** A larger read gets a buffer of its own, so that one big read does not stay with the stream. */
    private static final int KEPT_CAPACITY = 16 * 1024;

    /** The text of these bytes, without a trailing incomplete character (kept for the next call). */
    public String decode(byte[] bytes) {
        ByteBuffer in;
        if (leftover.length == 0) {
            in = ByteBuffer.wrap(bytes);
        } else {
            in = ByteBuffer.allocate(leftover.length + bytes.length);
            in.put(leftover).put(bytes).flip();
        }
        CharBuffer out = this.out;
        if (out.capacity() < in.remaining() + 1) {
            out = CharBuffer.allocate(in.remaining() + 1);
            if (out.capacity() <= KEPT_CAPACITY) {
                this.out = out;
            }
        }
        out.clear();
        CoderResult result = decoder.decode(in, out, false);
        if (result.isError()) {
            // With REPLACE this cannot happen; fail loudly rather than lose text silently.
            throw new IllegalStateException("UTF-8 decoder reported " + result);
        }
        if (in.hasRemaining()) {
            leftover = new byte[in.remaining()];
            in.get(leftover);
        } else {
            leftover = NONE;
        }
        return out.flip().toString();
    }

    /** At the end of the stream: what is left (an unfinished character becomes U+FFFD). */
    public String finish() {
        ByteBuffer in = ByteBuffer.wrap(leftover);
        CharBuffer out = CharBuffer.allocate(leftover.length + 2);
        decoder.decode(in, out, true);
        decoder.flush(out);
        decoder.reset();
        leftover = NONE;
        return out.flip().toString();
    }
}
