package io.chatstream.provider;

import io.chatstream.contract.event.ErrorCode;
import java.time.Duration;
import java.util.Optional;

/** How a provider fails a stream: a stable contract code, and when the vendor asked us to retry. */
public class ProviderException extends RuntimeException {

    private final ErrorCode code;
    private final Optional<Duration> retryAfter;

    public ProviderException(ErrorCode code, String message, Optional<Duration> retryAfter) {
        super(message);
        this.code = code;
        this.retryAfter = retryAfter == null ? Optional.empty() : retryAfter;
    }

    public ProviderException(ErrorCode code, String message) {
        this(code, message, Optional.empty());
    }

    public ProviderException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.retryAfter = Optional.empty();
    }

    public ErrorCode code() {
        return code;
    }

    public Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
