package io.chatstream.provider.transport;

import io.chatstream.contract.event.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/** The contract code of an HTTP error status, with the vendor's Retry-After when it sent one. */
public final class HttpFailures {

    private HttpFailures() {}

    public static VendorHttpException of(int status, String vendorMessage, String retryAfter) {
        String detail = "vendor answered HTTP " + status + (vendorMessage.isBlank() ? "" : ": " + vendorMessage);
        if (status == 401 || status == 403) {
            return new VendorHttpException(status, ErrorCode.AUTH_FAILED, detail, Optional.empty());
        }
        if (status == 429) {
            return new VendorHttpException(status, ErrorCode.RATE_LIMITED, detail, retryAfter(retryAfter));
        }
        if (status == 408 || status == 504) {
            return new VendorHttpException(status, ErrorCode.PROVIDER_TIMEOUT, detail, Optional.empty());
        }
        if (status >= 500) {
            return new VendorHttpException(status, ErrorCode.PROVIDER_UNAVAILABLE, detail, retryAfter(retryAfter));
        }
        return new VendorHttpException(status, ErrorCode.PROVIDER_ERROR, detail, Optional.empty());
    }

    /** {@code Retry-After} as seconds or as an HTTP date (RFC 9110 §10.2.3). */
    public static Optional<Duration> retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        try {
            return Optional.of(Duration.ofMillis((long) (Double.parseDouble(value) * 1000)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                Duration wait = Duration.between(Instant.now(), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (RuntimeException notADate) {
                return Optional.empty();
            }
        }
    }
}
