package io.chatstream.session.relay;

import java.time.Duration;

/** How the {@code chat.events} readers poll (their client settings: SessionKafkaClients). */
final class ReaderSettings {

    /** Short, so that a stop request or a sweep is never late by much. */
    static final Duration POLL_TIMEOUT = Duration.ofMillis(100);

    private ReaderSettings() {}
}
