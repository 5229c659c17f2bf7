package io.chatstream.provider.aui;

import java.util.Map;

/** One AUI WebSocket message, as far as the connector cares. */
sealed interface AuiEvent {

    /** {@code thread-message-text-content-updated}: the whole text so far. */
    record Progress(String text) implements AuiEvent {}

    /** The final {@code ExternalTaskMessage}: its text, and its extras for {@code message.completed}. */
    record Final(String text, Map<String, Object> data) implements AuiEvent {}

    /** An error payload {@code {status_code, description, message, extra_data}}. */
    record Error(int status, String message) implements AuiEvent {}

    /** Anything else (other events of the spec's channels): skipped. */
    record Ignored() implements AuiEvent {}
}
