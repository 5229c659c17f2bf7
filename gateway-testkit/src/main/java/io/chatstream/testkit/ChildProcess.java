package io.chatstream.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One process of a test cluster (a JVM, or any command such as a node server): its output goes to
 * a log file; it is stopped as an orchestrator stops a pod (SIGTERM, SIGKILL if it does not stop in
 * time), killed ({@code kill -9}), and started again with the same command and environment. Each
 * start appends a marker line to the log, and {@link #awaitLine} reads only what this start wrote.
 */
public class ChildProcess implements AutoCloseable {

    private final String name;
    private final List<String> command;
    private final Map<String, String> env;
    private final Path log;
    private final Duration stopGrace;
    private volatile Process process;
    private long logOffset;
    private int starts;

    /** @param stopGrace how long {@link #stop} waits after SIGTERM before it kills */
    public ChildProcess(String name, List<String> command, Map<String, String> env, Path log, Duration stopGrace) {
        this.name = name;
        this.command = List.copyOf(command);
        this.env = Map.copyOf(env);
        this.log = log;
        this.stopGrace = stopGrace;
    }

    /** Starts the process (again, after a stop or a kill) with the same command and environment. */
    public synchronized ChildProcess start() {
        if (alive()) {
            throw new IllegalStateException(name + " is running already");
        }
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Files.writeString(
                    log, "---- start " + (++starts) + " ----\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            logOffset = Files.size(log);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            process = builder.start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    /** The environment it starts with. */
    public Map<String, String> env() {
        return env;
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    /** The id of the current (or last) process; -1 before the first start. */
    public long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    public boolean alive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** SIGKILL: no shutdown hook, no last commit, no flush. */
    public void kill() {
        Process p = process;
        if (p == null) {
            return;
        }
        List<ProcessHandle> children = p.descendants().toList();
        p.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        waitFor(p, Duration.ofSeconds(10));
    }

    /** SIGTERM, as an orchestrator stops a pod; SIGKILL if it has not exited within the grace period. */
    public void stop() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        children.forEach(ProcessHandle::destroy);
        if (!waitFor(p, stopGrace)) {
            p.destroyForcibly();
            waitFor(p, Duration.ofSeconds(5));
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    /** Stops the process: {@link #stop}. */
    @Override
    public void close() {
        stop();
    }

    /** Waits until this start has written a line containing {@code text}; fails if the process exits. */
    public void awaitLine(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!output().contains(text)) {
            if (!alive()) {
                throw new IllegalStateException(name + " exited with " + exitValue() + "; " + tail(20));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        name + " did not say '" + text + "' within " + timeout + "; " + tail(20));
            }
            sleep(200);
        }
    }

    /** What this start has written so far. */
    protected String output() {
        try {
            byte[] all = Files.readAllBytes(log);
            int from = (int) Math.min(logOffset, all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The last {@code lines} lines of the log, for a failure's message. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return "log " + log + ":\n" + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "no log at " + log;
        }
    }

    /** The exit code, or a word when it has none yet. */
    public String exitValue() {
        Process p = process;
        return p == null ? "never started" : p.isAlive() ? "still running" : String.valueOf(p.exitValue());
    }

    /** A full GC in the JVM ({@code jcmd <pid> GC.run}), so that what it holds shows what is live. */
    public void fullGc() {
        try {
            Process jcmd = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "jcmd")
                                    .toString(),
                            String.valueOf(pid()),
                            "GC.run")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            waitFor(jcmd, Duration.ofSeconds(20));
        } catch (IOException e) {
            // no jcmd, or the process is gone: nothing collected
        }
    }

    private static boolean waitFor(Process p, Duration timeout) {
        try {
            return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Thread.sleep without the checked exception (the interrupt flag is kept). */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
