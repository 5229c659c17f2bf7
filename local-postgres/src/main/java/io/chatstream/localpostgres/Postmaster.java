package io.chatstream.localpostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The PostgreSQL processes: {@code initdb} once per data directory, then the postmaster as a child
 * of this JVM, started from a thread of its own that lives until it stopped, so that the end of that
 * thread, which comes with the JVM's, signals it ({@link Unprivileged#command}: pdeathsig).
 */
final class Postmaster {

    /** A Unix socket's path has room for 107 bytes; longer, and postgres refuses to start. */
    private static final int SOCKET_PATH_MAX = 100;

    private final Process process;
    private final ExecutorService parentThread;

    private Postmaster(Process process, ExecutorService parentThread) {
        this.process = process;
        this.parentThread = parentThread;
    }

    /**
     * Makes {@code data} a data directory (superuser {@code postgres}, trust on loopback, UTF-8, C
     * locale), unless it is one already: then its data stays.
     */
    static void initdb(PostgresBinaries binaries, Unprivileged runAs, Path data, boolean forTests) {
        try {
            Files.createDirectories(data);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + data, e);
        }
        runAs.checkCanReach(data);
        runAs.own(data);
        if (Files.exists(data.resolve("PG_VERSION"))) {
            return;
        }
        List<String> initdb = new ArrayList<>(List.of(binaries.tool("initdb").toString(), "-D", data.toString()));
        initdb.addAll(List.of("-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"));
        if (forTests) {
            initdb.add("--no-sync");
        }
        Unprivileged.run(runAs.command(initdb));
    }

    /** Starts {@code postgres} on 127.0.0.1:port, its output appended to {@code log}. */
    static Postmaster start(
            PostgresBinaries binaries, Unprivileged runAs, Path data, int port, boolean forTests, Path log) {
        List<String> command = new ArrayList<>(List.of(binaries.tool("postgres").toString(), "-D", data.toString()));
        command.addAll(List.of("-p", String.valueOf(port), "-c", "listen_addresses=127.0.0.1"));
        command.addAll(List.of("-c", "unix_socket_directories=" + socketDirectory(data, port)));
        if (forTests) {
            command.addAll(List.of("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"));
        }
        ProcessBuilder builder = new ProcessBuilder(runAs.command(command))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        ExecutorService parentThread = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "postgres-" + port);
            thread.setDaemon(true);
            return thread;
        });
        try {
            return new Postmaster(parentThread.submit(builder::start).get(), parentThread);
        } catch (ExecutionException | InterruptedException e) {
            parentThread.shutdownNow();
            throw new IllegalStateException("cannot start " + command, e);
        }
    }

    Process process() {
        return process;
    }

    /** Fast shutdown; immediate (crash recovery at the next start) if that takes over a minute. */
    void stop() {
        boolean stopped =
                signal("INT") && exited(Duration.ofSeconds(60)) || signal("QUIT") && exited(Duration.ofSeconds(10));
        if (!stopped) {
            process.destroyForcibly();
            exited(Duration.ofSeconds(10));
        }
        parentThread.shutdownNow();
    }

    /** The data directory itself, where the path fits a Unix socket; else none (TCP only). */
    private static String socketDirectory(Path data, int port) {
        String socket = data.resolve(".s.PGSQL." + port).toString();
        return socket.getBytes(StandardCharsets.UTF_8).length <= SOCKET_PATH_MAX ? data.toString() : "";
    }

    /** kill -s: Process can only send SIGTERM and SIGKILL. True once it is gone, or was told to go. */
    private boolean signal(String name) {
        if (!process.isAlive()) {
            return true;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-s", name, String.valueOf(process.pid())).start();
            return kill.waitFor() == 0;
        } catch (IOException e) {
            process.destroy(); // no kill command: SIGTERM, a smart shutdown
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean exited(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
