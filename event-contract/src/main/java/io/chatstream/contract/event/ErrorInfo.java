package io.chatstream.contract.event;

/** Why a message failed: a stable {@code code} from the failure table, and whether to retry. */
public record ErrorInfo(String code, String message, boolean retryable) {}
