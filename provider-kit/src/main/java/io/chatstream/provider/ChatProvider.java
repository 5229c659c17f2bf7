package io.chatstream.provider;

import io.smallrye.mutiny.Multi;

/**
 * A chatbot vendor behind one narrow interface. An implementation is an {@code @ApplicationScoped}
 * bean with {@code @Identifier("<provider name>")}, in its own package that hides its transport.
 *
 * <p>The returned stream emits {@link ProviderChunk.Delta}s (and {@link ProviderChunk.Handles}
 * whenever the vendor's conversation handles change) then exactly one {@link
 * ProviderChunk.Completion} and completes; a failure is a {@link ProviderException}. Completing
 * without a Completion means the vendor never sent its end signal. Cancelling the subscription must
 * close the vendor connection.
 */
public interface ChatProvider {

    Multi<ProviderChunk> stream(ProviderCall call);

    /**
     * Whether the vendor is stateless and must be sent the earlier turns with each message: the
     * gateway then keeps them in {@link ProviderCall#conversation()}.
     */
    default boolean needsEarlierTurns() {
        return false;
    }
}
