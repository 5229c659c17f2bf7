package io.chatstream.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One packaged service as its own process ({@code java -jar quarkus-run.jar}), which the suite can
 * kill with SIGKILL and start again on the same port with the same environment.
 */
final class Service implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String module;
    private final String name;
    private final int port;
    private final Map<String, String> env;
    private volatile Process process;
    private int starts;

    Service(String module, String name, int port, Map<String, String> env) {
        this.module = module;
        this.name = name;
        this.port = port;
        this.env = env;
    }

    synchronized Service start() {
        Path root = FaultCluster.root();
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services first (./mvnw verify does)");
        }
        try {
            Path logDir = Files.createDirectories(root.resolve("fault-tests/target/fault-logs"));
            Path log = logDir.resolve(name + ".log");
            Files.writeString(
                    log,
                    "---- start " + (++starts) + " ----\n",
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    "-XX:+UseSerialGC",
                    "-jar",
                    jar.toString()));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
            process = builder.start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no last commit, no flush. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue());
            }
            if (ready()) {
                return;
            }
            sleep(200);
        }
        throw new IllegalStateException(name + " not ready within " + timeout);
    }

    boolean ready() {
        try {
            return get("/q/health/ready", Duration.ofSeconds(2)).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** Threads and resident memory (KiB) of the process, from {@code /proc/<pid>/status}. */
    ProcessFigures figures() {
        long threads = -1;
        long rss = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
                if (line.startsWith("Threads:")) {
                    threads = Long.parseLong(line.substring(8).trim());
                } else if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.substring(6).replace("kB", "").trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not on Linux, or the process is gone: reported as -1
        }
        return new ProcessFigures(threads, rss, metric("jvm_threads_live_threads"), heapUsed());
    }

    /** Heap in use after a full GC ({@code jcmd GC.run}): what a leak would make grow. */
    long heapAfterGc() {
        try {
            Process jcmd = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "jcmd")
                                    .toString(),
                            String.valueOf(pid()),
                            "GC.run")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            jcmd.waitFor(20, TimeUnit.SECONDS);
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return heapUsed();
    }

    private long heapUsed() {
        return (long) metrics()
                .lines()
                .filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    private long metric(String name) {
        return (long) metrics()
                .lines()
                .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    private String metrics() {
        try {
            return get("/q/metrics", Duration.ofSeconds(5)).body();
        } catch (IOException e) {
            return "";
        }
    }

    private HttpResponse<String> get(String path, Duration timeout) throws IOException {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create(baseUrl() + path))
                            .timeout(timeout)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** SIGTERM, as an orchestrator stops a pod; SIGKILL if it does not stop in time. */
    @Override
    public void close() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @param rssKib resident memory; @param heapBytes heap in use, from the JVM's metrics */
    record ProcessFigures(long threads, long rssKib, long jvmThreads, long heapBytes) {
        @Override
        public String toString() {
            return threads + " threads, " + rssKib / 1024 + " MiB RSS, " + heapBytes / (1024 * 1024) + " MiB heap";
        }
    }
}
