package io.chatstream.provider;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a vendor needs to continue a gateway session's conversation: its handles (LingoBlocks access
 * token, ChatBotKit conversation id, AUI task id …) and, for a stateless vendor, the earlier turns.
 * Kept in PostgreSQL (gateway-store's {@code conversations}, one row per session and bot, this
 * record as JSON), so it follows the session across messages, connector restarts and replicas, and
 * goes when the session is deleted.
 */
public record Conversation(Map<String, String> handles, List<Turn> turns) {

    /** One earlier turn: {@code role} is {@code user} or {@code assistant}. */
    public record Turn(String role, String text) {}

    public Conversation {
        handles = handles == null ? Map.of() : Map.copyOf(handles);
        turns = turns == null ? List.of() : List.copyOf(turns);
    }

    public static Conversation empty() {
        return new Conversation(Map.of(), List.of());
    }

    public Optional<String> handle(String name) {
        return Optional.ofNullable(handles.get(name));
    }

    public Conversation withHandles(Map<String, String> changed) {
        Map<String, String> merged = new HashMap<>(handles);
        merged.putAll(changed);
        return new Conversation(merged, turns);
    }

    /** Adds a question and its answer, keeping only the last {@code maxTurns} turns. */
    public Conversation withExchange(String question, String answer, int maxTurns) {
        List<Turn> more = new ArrayList<>(turns);
        more.add(new Turn("user", question));
        more.add(new Turn("assistant", answer));
        return new Conversation(handles, more.subList(Math.max(0, more.size() - maxTurns), more.size()));
    }
}
