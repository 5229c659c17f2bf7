package io.chatstream.simulator.contract;

import io.vertx.core.Vertx;
import java.util.Map;

/**
 * The contract test as a {@link VendorCase} sees it: messages streamed through the connector's real
 * streamer to the running simulator, with the simulator's bot options.
 */
public interface ContractRun {

    /** The question of the contract's cases. */
    String QUESTION = "How does streaming work";

    Vertx vertx();

    /** A new gateway session id. */
    String newSession();

    /**
     * Streams one message of {@code sessionId}, with these options over the simulator's (a new url, a
     * shorter timeout …), and returns its events once it ended, checked well-formed: started first,
     * gapless seq, exactly one terminal and it is last, its text that of the deltas.
     */
    Answer ask(String sessionId, String text, Map<String, String> extraOptions);

    /** {@link #ask} in a new session with the simulator's options. */
    default Answer ask(String text) {
        return ask(newSession(), text, Map.of());
    }

    /**
     * Starts one message, waits for its first {@code deltas} deltas, runs {@code whileStreaming},
     * cancels it, and returns its events once it ended (checked as {@link #ask}'s).
     */
    Answer cancelAfter(int deltas, String text, Runnable whileStreaming);
}
