package io.chatstream.ingress.problem;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem detail. {@code type} stays {@code about:blank} (the status says what kind of
 * problem it is); {@code code} is a stable machine-readable extension member.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String title, String code, String detail) {
        return new Problem("about:blank", title, status, detail, code);
    }
}
