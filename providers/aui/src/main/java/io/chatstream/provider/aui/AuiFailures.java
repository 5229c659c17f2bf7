package io.chatstream.provider.aui;

import io.chatstream.contract.event.ErrorCode;
import io.chatstream.provider.ProviderException;

/**
 * AUI's session errors as contract codes. The error payload's {@code status_code} decides when
 * there is one (as an HTTP status would); else the close code: 1011 (internal error) is {@code
 * provider_unavailable}; 1008 (policy violation) is {@code auth_failed} when the session said
 * nothing before it (the docs: invalid credentials close the connection at once with 1008), else
 * {@code provider_error}; any other close before the final message is {@code incomplete}.
 */
final class AuiFailures {

    static final short POLICY_VIOLATION = 1008;
    static final short INTERNAL_ERROR = 1011;
    static final short TRY_AGAIN_LATER = 1013;

    private AuiFailures() {}

    static ProviderException ofPayload(AuiEvent.Error error) {
        int status = error.status();
        String detail = "the vendor reported status_code " + status + ": " + error.message();
        if (status == 401 || status == 403) {
            return new ProviderException(ErrorCode.AUTH_FAILED, detail);
        }
        if (status == 429) {
            return new ProviderException(ErrorCode.RATE_LIMITED, detail);
        }
        if (status == 408 || status == 504) {
            return new ProviderException(ErrorCode.PROVIDER_TIMEOUT, detail);
        }
        if (status >= 500) {
            return new ProviderException(ErrorCode.PROVIDER_UNAVAILABLE, detail);
        }
        return new ProviderException(ErrorCode.PROVIDER_ERROR, detail);
    }

    static ProviderException ofClose(Short code, String reason, boolean heardAnything) {
        String because = reason == null || reason.isBlank() ? "" : " (" + reason + ")";
        if (code == null || code == 1006) {
            return new ProviderException(
                    ErrorCode.INCOMPLETE, "the vendor connection dropped before the final message" + because);
        }
        return switch (code) {
            case INTERNAL_ERROR -> new ProviderException(
                    ErrorCode.PROVIDER_UNAVAILABLE,
                    "the vendor closed the session with 1011 (internal error)" + because);
            case TRY_AGAIN_LATER -> new ProviderException(
                    ErrorCode.PROVIDER_UNAVAILABLE,
                    "the vendor closed the session with 1013 (try again later)" + because);
            case POLICY_VIOLATION -> heardAnything
                    ? new ProviderException(
                            ErrorCode.PROVIDER_ERROR,
                            "the vendor closed the session with 1008 (application error)" + because)
                    : new ProviderException(
                            ErrorCode.AUTH_FAILED,
                            "the vendor closed the session with 1008 at once: credentials refused" + because);
            default -> new ProviderException(
                    ErrorCode.INCOMPLETE,
                    "the vendor closed the session with " + code + " before the final message" + because);
        };
    }
}
