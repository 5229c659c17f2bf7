package io.chatstream.ingress.message;

/** The answer to an accepted message (docs/api.md). */
public record AcceptedMessage(String sessionId, String messageId, String streamUrl, String streamToken) {}
