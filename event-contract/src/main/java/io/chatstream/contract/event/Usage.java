package io.chatstream.contract.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Token usage as the vendor reported it. Where a vendor reports none, {@code source} is
 * {@link #SOURCE_NONE} and the counts are absent: zeros are never invented.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Usage(String source, Integer inputTokens, Integer outputTokens, Integer totalTokens) {

    public static final String SOURCE_VENDOR = "vendor";
    public static final String SOURCE_NONE = "none";
    /** Counted by the gateway itself (the built-in demo provider). */
    public static final String SOURCE_GATEWAY = "gateway";

    public static Usage none() {
        return new Usage(SOURCE_NONE, null, null, null);
    }

    public static Usage vendor(Integer input, Integer output) {
        Integer total = input != null && output != null ? input + output : null;
        return new Usage(SOURCE_VENDOR, input, output, total);
    }
}
