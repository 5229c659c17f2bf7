package io.chatstream.provider.transport;

import io.chatstream.contract.event.ErrorCode;
import io.chatstream.provider.ProviderException;
import java.time.Duration;
import java.util.Optional;

/** A vendor's HTTP error answer: its contract code, and the status for providers that act on it. */
public final class VendorHttpException extends ProviderException {

    private final int status;

    VendorHttpException(int status, ErrorCode code, String message, Optional<Duration> retryAfter) {
        super(code, message, retryAfter);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** Whether {@code failure} is the vendor answering this HTTP status. */
    public static boolean is(Throwable failure, int status) {
        return failure instanceof VendorHttpException e && e.status == status;
    }
}
