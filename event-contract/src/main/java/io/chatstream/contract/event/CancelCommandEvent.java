package io.chatstream.contract.event;

import java.time.Instant;

/** A request to stop a message, written to the provider's request topic beside the requests. */
public record CancelCommandEvent(String sessionId, String messageId, Instant requestedAt) {}
