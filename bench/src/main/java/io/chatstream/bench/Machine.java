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

    /** The 1-minute load average: above about 0.5 on 2 cores, other work skews the figures. */
    static String load() {
        try {
            return "load " + Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "load ?";
        }
    }
}
