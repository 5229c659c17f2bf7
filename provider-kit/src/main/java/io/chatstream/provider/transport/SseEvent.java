package io.chatstream.provider.transport;

/**
 * One server-sent event.
 *
 * @param event the {@code event:} field, or {@code "message"} when absent
 * @param data the {@code data:} lines joined with {@code \n}
 * @param id the last {@code id:} field, or null
 */
public record SseEvent(String event, String data, String id) {}
