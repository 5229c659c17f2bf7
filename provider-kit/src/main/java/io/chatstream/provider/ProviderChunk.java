package io.chatstream.provider;

import io.chatstream.contract.event.Usage;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** What a provider streams: deltas of the answer, then one completion. */
public sealed interface ProviderChunk {

    /** A piece of the answer, appended to what came before. */
    record Delta(String text) implements ProviderChunk {
        public Delta {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * The vendor's conversation handles changed (a conversation was created, a token renewed …).
     * Kept at once, before the answer ends, so that the next message continues this conversation
     * even if this answer fails.
     */
    record Handles(Map<String, String> handles) implements ProviderChunk {
        public Handles {
            handles = Map.copyOf(handles);
        }
    }

    /**
     * The vendor's end signal.
     *
     * @param finalText the whole answer when the vendor states it (it wins over the deltas)
     * @param data vendor extras for {@code message.completed}; empty when none
     * @param usage what the vendor reported; {@link Usage#none()} when nothing
     */
    record Completion(Optional<String> finalText, Map<String, Object> data, Usage usage) implements ProviderChunk {
        public Completion {
            finalText = finalText == null ? Optional.empty() : finalText;
            data = data == null ? Map.of() : data;
            usage = usage == null ? Usage.none() : usage;
        }

        public static Completion of(Usage usage) {
            return new Completion(Optional.empty(), Map.of(), usage);
        }
    }
}
