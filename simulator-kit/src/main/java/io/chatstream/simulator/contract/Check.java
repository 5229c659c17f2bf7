package io.chatstream.simulator.contract;

import java.util.function.BooleanSupplier;

/**
 * One thing a fixture says it observed, which the contract test asserts under the vendor's and the
 * case's name: fixtures are main code, without a test library, so they state checks instead of
 * asserting them.
 */
public sealed interface Check {

    /** What is checked, as the failure names it. */
    String what();

    /** {@code actual} must equal {@code expected}. */
    record Equal(String what, Object actual, Object expected) implements Check {}

    /** {@code condition} must come true within five seconds (the contract's wait for a vendor connection to close). */
    record Eventually(String what, BooleanSupplier condition) implements Check {}

    static Check equal(String what, Object actual, Object expected) {
        return new Equal(what, actual, expected);
    }

    static Check that(String what, boolean condition) {
        return new Equal(what, condition, true);
    }

    static Check eventually(String what, BooleanSupplier condition) {
        return new Eventually(what, condition);
    }
}
