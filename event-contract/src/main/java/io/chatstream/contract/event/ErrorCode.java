package io.chatstream.contract.event;

/** The failure codes of the public contract (docs/api.md, "Failure codes"). */
public enum ErrorCode {
    AUTH_FAILED("auth_failed", false),
    RATE_LIMITED("rate_limited", true),
    PROVIDER_UNAVAILABLE("provider_unavailable", true),
    PROVIDER_ERROR("provider_error", false),
    PROVIDER_TIMEOUT("provider_timeout", true),
    INCOMPLETE("incomplete", true),
    PROTOCOL_ERROR("protocol_error", false),
    CONNECTOR_RESTARTED("connector_restarted", true);

    private final String code;
    private final boolean retryable;

    ErrorCode(String code, boolean retryable) {
        this.code = code;
        this.retryable = retryable;
    }

    public String code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }

    public ErrorInfo withMessage(String message) {
        return new ErrorInfo(code, message, retryable);
    }
}
