package io.chatstream.simulator.contract;

import java.util.List;

/**
 * A vendor's own case through the connector's streamer (a rewrite ending with a reset, data kept in
 * the completed event, a vendor conversation per session …), run by the contract test beside the
 * contract's cases for this vendor only.
 *
 * @param name what it shows, as the test report names it
 */
public record VendorCase(String name, Body body) {

    /** Streams what it needs through {@code run} and returns what it observed. */
    @FunctionalInterface
    public interface Body {
        List<Check> run(ContractRun run) throws Exception;
    }
}
