package io.chatstream.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

/**
 * The suite's report: one table row per fault, printed as it is measured and collected in
 * {@code fault-tests/target/fault-figures.md} (what docs/reliability.md quotes).
 */
final class Figures {

    private static final Path FILE = FaultGateway.root().resolve("fault-tests/target/fault-figures.md");
    private static boolean started;

    private Figures() {}

    /** A fault measured by its messages' {@link Verdict}, and what else it observed. */
    static synchronized void row(String fault, Verdict v, String notes) {
        write(String.format(
                "| %s | %d | %d | %d | %d | %d | %s | %s / %s | %s |",
                fault,
                v.accepted(),
                v.terminal(),
                v.lost(),
                v.duplicated(),
                v.hung(),
                v.outcomes().isEmpty()
                        ? "—"
                        : v.outcomes().toString().replace("{", "").replace("}", ""),
                seconds(v.p50()),
                seconds(v.max()),
                notes + (v.broken() > 0 ? "; broken seq/text: " + v.broken() : "")));
        if (!v.problems().isEmpty()) {
            System.out.println("  problems: "
                    + v.problems().subList(0, Math.min(10, v.problems().size())));
        }
    }

    /** A fault without messages to count (bad input): what was sent and what came back. */
    static synchronized void note(String fault, String notes) {
        write(String.format("| %s | — | — | — | — | — | — | — | %s |", fault, notes));
    }

    private static void write(String line) {
        System.out.println("FAULT " + line);
        try {
            if (!started) {
                started = true;
                Files.createDirectories(FILE.getParent());
                Files.writeString(
                        FILE,
                        "Fault suite, " + Scale.name() + " form, " + Instant.now() + "\n\n"
                                + "| fault | accepted | terminal | lost | duplicated | hung | outcomes | time to terminal p50 / max | notes |\n"
                                + "|---|---|---|---|---|---|---|---|---|\n");
            }
            Files.writeString(FILE, line + "\n", StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }
}
