package io.chatstream.ingress.message;

import java.util.Map;

/** The body of {@code POST /v1/sessions/{sessionId}/messages}, validated. */
public record MessageRequest(String bot, String text, Map<String, Object> context) {}
