package io.chatstream.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** What the figures were measured on, and how busy it was. */
final class Machine {

    private Machine() {}

    static String describe() {
        String cpu = BenchMain.sh("sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2");
        return cpu.trim() + ", " + Runtime.getRuntime().availableProcessors() + " cores, "
                + BenchMain.sh("sh", "-c", "free -g | awk '/Mem:/{print $2\" GiB\"}'") + ", "
                + BenchMain.sh("uname", "-sr") + ", Java " + System.getProperty("java.version") + ", node "
                + BenchMain.sh("node", "--version");
    }

    /**
     * The 1-minute load average and the CPU pressure: above about 0.5 on 2 cores, other work
     * skews the figures (every hop of the gateway waits for a CPU to be scheduled).
     */
    static String load() {
        try {
            String load = "load " + Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
            // Pressure stall information: the share of time runnable tasks waited for a CPU.
            Path psi = Path.of("/proc/pressure/cpu");
            if (Files.exists(psi)) {
                String some = Files.readAllLines(psi).get(0);
                load += ", CPU pressure "
                        + some.replaceAll(".*avg10=([0-9.]+).*avg60=([0-9.]+).*", "$1% (10 s) $2% (60 s)");
            }
            return load;
        } catch (Exception e) {
            return "load ?";
        }
    }
}
