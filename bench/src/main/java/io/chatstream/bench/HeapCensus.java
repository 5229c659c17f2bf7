package io.chatstream.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a service's heap holds after a full GC: {@code jcmd <pid> GC.class_histogram} (which runs a
 * full collection first, and counts only the objects still reachable) gives the live bytes, its
 * {@code Total} line; the whole histogram is kept in the run folder. {@code GC.heap_info} after it
 * shows the generations' sizes.
 */
final class HeapCensus {

    /** Live bytes and instances after a full GC, and the resident set at that moment. */
    record Live(String process, long bytes, long instances, long rssBytes) {
        String line() {
            return String.format(
                    "%-10s live heap %7.1f MiB (%,d objects), RSS %6.1f MiB",
                    process, bytes / 1048576.0, instances, rssBytes / 1048576.0);
        }
    }

    private HeapCensus() {}

    /** Counts one process's live heap; writes the histogram and heap_info to {@code dir/<name>-<label>.txt}. */
    static Live count(String name, long pid, Path dir, String label) throws IOException, InterruptedException {
        String histogram = jcmd(pid, "GC.class_histogram");
        String heapInfo = jcmd(pid, "GC.heap_info");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name + "-" + label + ".txt"), heapInfo + "\n" + histogram);
        long bytes = -1;
        long instances = -1;
        for (String line : histogram.split("\n")) {
            String t = line.trim();
            if (t.startsWith("Total")) {
                String[] f = t.split("\\s+");
                instances = Long.parseLong(f[1]);
                bytes = Long.parseLong(f[2]);
            }
        }
        return new Live(name, bytes, instances, ProcStats.rssBytes(pid));
    }

    /** The classes holding the most bytes, as the histogram lists them (its first {@code n} rows). */
    static List<String> top(Path file, int n) throws IOException {
        return Files.readAllLines(file).stream()
                .filter(l -> l.matches("\\s*\\d+:.*"))
                .limit(n)
                .toList();
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        String.valueOf(pid),
                        command)
                .redirectErrorStream(true)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        p.waitFor(60, TimeUnit.SECONDS);
        return new String(out, StandardCharsets.UTF_8);
    }
}
