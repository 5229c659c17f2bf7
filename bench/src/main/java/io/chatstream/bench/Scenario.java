package io.chatstream.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One load shape: {@code concurrency} sessions, each asking one question after the other (a
 * closed loop) for {@code duration}, every answer {@code tokens} long at {@code paceMs} between
 * tokens (0: as fast as the vendor's socket drains).
 */
record Scenario(String name, int concurrency, int tokens, int paceMs, Duration duration) {

    /** The scenarios by name; {@code default} is the quick set, {@code all} the full one. */
    static final Map<String, Scenario> KNOWN = new LinkedHashMap<>();

    static {
        for (int c : new int[] {1, 100, 1000}) {
            add(new Scenario("c" + c + "-paced", c, 200, 10, Duration.ofSeconds(c == 1 ? 20 : 15)));
            add(new Scenario("c" + c + "-full", c, 200, 0, Duration.ofSeconds(c == 1 ? 10 : 15)));
        }
        // Seconds, for checking the tool itself.
        add(new Scenario("smoke", 4, 50, 2, Duration.ofSeconds(2)));
    }

    static final Map<String, List<String>> SETS = Map.of(
            "default", List.of("c1-paced", "c100-paced", "c1-full", "c100-full"),
            "all", List.of("c1-paced", "c100-paced", "c1000-paced", "c1-full", "c100-full", "c1000-full"));

    private static void add(Scenario s) {
        KNOWN.put(s.name(), s);
    }

    boolean paced() {
        return paceMs > 0;
    }

    /** The question whose answer the simulator streams: its directives set length, pace and timestamps. */
    String question(int session, int message) {
        return "bench s" + session + " m" + message + " #sim:tokens=" + tokens + " #sim:pace=" + paceMs
                + "ms #sim:timestamps";
    }
}
