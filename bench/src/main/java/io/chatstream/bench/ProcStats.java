package io.chatstream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Linux says about a process: CPU time ({@code /proc/<pid>/stat} utime + stime, every thread
 * included) and memory ({@code /proc/<pid>/status} VmHWM, the peak resident set, and VmRSS).
 * {@link #resetPeak} writes {@code 5} to {@code /proc/<pid>/clear_refs}, so each phase of a run
 * gets its own peak.
 */
final class ProcStats {

    /** {@code getconf CLK_TCK}: 100 on every Linux that ships today. */
    static final double TICKS_PER_SECOND = 100.0;

    private ProcStats() {}

    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name may hold spaces: fields are counted after its closing parenthesis.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // Fields 14 and 15 of proc(5); f[0] is field 3.
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Peak resident memory in bytes since start or the last {@link #resetPeak}. */
    static long peakBytes(long pid) {
        return statusKb(pid, "VmHWM:") * 1024;
    }

    static long rssBytes(long pid) {
        return statusKb(pid, "VmRSS:") * 1024;
    }

    static void resetPeak(long pid) {
        try {
            Files.writeString(Path.of("/proc", Long.toString(pid), "clear_refs"), "5");
        } catch (IOException | RuntimeException e) {
            // Not ours or not allowed: the peak then covers the process's whole life (reported so).
        }
    }

    private static long statusKb(long pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }
}
