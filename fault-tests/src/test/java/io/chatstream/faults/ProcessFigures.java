package io.chatstream.faults;

import io.chatstream.testkit.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a service process holds: threads and resident memory (KiB) from {@code /proc/<pid>/status},
 * the JVM's live threads and heap in use from its metrics.
 *
 * @param rssKib resident memory; @param heapBytes heap in use, from the JVM's metrics
 */
record ProcessFigures(long threads, long rssKib, long jvmThreads, long heapBytes) {

    static ProcessFigures of(ServiceProcess service) {
        long threads = -1;
        long rss = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + service.pid() + "/status"))) {
                if (line.startsWith("Threads:")) {
                    threads = Long.parseLong(line.substring(8).trim());
                } else if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.substring(6).replace("kB", "").trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not on Linux, or the process is gone: reported as -1
        }
        String metrics = service.metrics();
        return new ProcessFigures(threads, rss, metric(metrics, "jvm_threads_live_threads"), heapUsed(metrics));
    }

    /** Heap in use after a full GC ({@code jcmd GC.run}): what a leak would make grow. */
    static long heapAfterGc(ServiceProcess service) {
        service.fullGc();
        return heapUsed(service.metrics());
    }

    private static long heapUsed(String metrics) {
        return (long) metrics.lines()
                .filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static long metric(String metrics, String name) {
        return (long) metrics.lines()
                .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Override
    public String toString() {
        return threads + " threads, " + rssKib / 1024 + " MiB RSS, " + heapBytes / (1024 * 1024) + " MiB heap";
    }
}
