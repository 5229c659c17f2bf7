package io.chatstream.connector.stream;

import io.chatstream.contract.event.ErrorCode;

/**
 * How a message ended.
 *
 * @param outcome {@code completed}, {@code failed} or {@code cancelled}
 * @param code the failure code, or {@code none}
 */
public record Outcome(String outcome, String code) {

    public static final String NONE = "none";

    public static Outcome completed() {
        return new Outcome("completed", NONE);
    }

    public static Outcome cancelled() {
        return new Outcome("cancelled", NONE);
    }

    public static Outcome failed(ErrorCode code) {
        return new Outcome("failed", code.code());
    }
}
