package io.chatstream.provider.lingoblocks;

import io.socket.parser.IOParser;
import io.socket.parser.Parser;
import java.util.function.Consumer;

/**
 * The socket.io client's own packet decoder, made to report what it cannot parse: the stock
 * client's manager logs a {@code DecodingException} and drops the packet, so a malformed frame would
 * silently lose text. Here it reaches the provider, which fails the answer with {@code
 * protocol_error}.
 */
final class StrictDecoder implements Parser.Decoder {

    private final IOParser.Decoder delegate = new IOParser.Decoder();
    private final Consumer<String> onMalformed;

    StrictDecoder(Consumer<String> onMalformed) {
        this.onMalformed = onMalformed;
    }

    @Override
    public void add(String packet) {
        try {
            delegate.add(packet);
        } catch (RuntimeException e) { // DecodingException, and index errors on truncated packets
            onMalformed.accept("the vendor sent a socket.io packet that cannot be parsed (" + e.getMessage() + ")");
        }
    }

    @Override
    public void add(byte[] attachment) {
        try {
            delegate.add(attachment);
        } catch (RuntimeException e) {
            onMalformed.accept("the vendor sent a binary socket.io attachment out of place");
        }
    }

    @Override
    public void destroy() {
        delegate.destroy();
    }

    @Override
    public void onDecoded(Callback callback) {
        delegate.onDecoded(callback);
    }
}
