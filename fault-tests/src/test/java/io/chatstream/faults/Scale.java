package io.chatstream.faults;

/**
 * How big a run is: {@code short} (part of {@code ./mvnw verify}, a few minutes) or {@code long}
 * ({@code -Pfaults-long}, bigger counts and durations). Every loop of the suite is bounded by one
 * of these counts and by a deadline.
 */
final class Scale {

    static final boolean LONG = "long".equals(System.getProperty("faults.scale", "short"));

    private Scale() {}

    /** {@code shortCount} in the short form, {@code longCount} in the long one. */
    static int of(int shortCount, int longCount) {
        return LONG ? longCount : shortCount;
    }

    static String name() {
        return LONG ? "long" : "short";
    }
}
