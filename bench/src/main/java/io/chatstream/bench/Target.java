package io.chatstream.bench;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/** Something clients stream answers from: the vendor directly, the gateway, or a peer gateway. */
interface Target {

    String name();

    /** Opens whatever a session keeps open between messages (the gateway's WebSocket). */
    Future<Void> open(int sessions);

    /** Asks one question on session {@code session}; {@code done} runs once the answer ended, however. */
    void ask(int session, String question, int tokens, RunStats stats, Runnable done);

    Future<Void> close();

    /** The services' own histograms to read over each phase, by what they show (none but the gateway's). */
    default Map<String, ServerHistograms> serverHistograms() {
        return Map.of();
    }

    /** The processes this target's figures are made of (CPU, memory), the client included. */
    List<MeasuredProcess> processes();
}
