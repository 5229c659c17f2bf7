package io.chatstream.localpostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * A real PostgreSQL server on 127.0.0.1, its postmaster a child process of this JVM: what the local
 * run and the tests use instead of Docker. Data lives in the given folder (initdb'd on first use),
 * so a server stopped and started again on the same folder keeps its tables. Binaries: {@link
 * PostgresBinaries}; as root it runs as an unprivileged user ({@link Unprivileged}). Its own log is
 * {@code <data dir>/postgres.log}.
 *
 * <p>{@link #close} is a fast shutdown (SIGINT: clients disconnected, a checkpoint, exit), and so is
 * this JVM's exit (a shutdown hook). Should the JVM die without its hooks ({@code kill -9}), the
 * postmaster gets SIGINT from the kernel when the thread that started it ends ({@code setpriv
 * --pdeathsig}); where setpriv is missing, it would outlive the JVM.
 */
public final class LocalPostgres implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final int BIND_ATTEMPTS = 5;

    private final Postmaster postmaster;
    private final int port;
    private final Path dataDir;
    private final Thread shutdownHook = new Thread(this::close, "postgres-stop");
    private boolean closed;

    private LocalPostgres(Postmaster postmaster, int port, Path dataDir) {
        this.postmaster = postmaster;
        this.port = port;
        this.dataDir = dataDir;
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts a server on the port (0: a free one) and returns once role and database {@code gateway}
     * exist. {@code forTests}: no fsync, no synchronous commit, no full-page writes, which lose data
     * only when the machine (not the process) crashes.
     */
    public static LocalPostgres start(Path dataDir, int port, boolean forTests) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + ": from 0 (a free one) to 65535, please");
        }
        Path data = dataDir.toAbsolutePath().normalize();
        PostgresBinaries binaries = PostgresBinaries.find();
        Unprivileged runAs = Unprivileged.forThisJvm();
        Postmaster.initdb(binaries, runAs, data, forTests);
        for (int attempt = 1; ; attempt++) {
            try {
                return launch(binaries, runAs, data, port == 0 ? freePort() : port, forTests);
            } catch (PortTaken e) {
                if (port != 0 || attempt == BIND_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    public String jdbcUrl() {
        return GatewayDatabase.jdbcUrl(port, GatewayDatabase.NAME);
    }

    public String username() {
        return GatewayDatabase.USER;
    }

    public String password() {
        return GatewayDatabase.PASSWORD;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The server's own log, appended to at every start. */
    public Path log() {
        return dataDir.resolve("postgres.log");
    }

    /** Waits until the postmaster exits (stopped, or crashed); its exit code. */
    public int awaitExit() throws InterruptedException {
        return postmaster.process().waitFor();
    }

    public synchronized boolean closed() {
        return closed;
    }

    /** Fast shutdown; immediate (crash recovery at the next start) if that takes over a minute. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: this is the hook
        }
        postmaster.stop();
    }

    private static LocalPostgres launch(
            PostgresBinaries binaries, Unprivileged runAs, Path data, int port, boolean forTests) {
        Path log = data.resolve("postgres.log");
        long logStart = log.toFile().length();
        LocalPostgres server =
                new LocalPostgres(Postmaster.start(binaries, runAs, data, port, forTests, log), port, data);
        try {
            GatewayDatabase.awaitReady(port, data, server.postmaster.process(), READY_TIMEOUT);
            GatewayDatabase.createIfAbsent(port);
            return server;
        } catch (RuntimeException e) {
            server.close();
            String said = logSince(log, logStart);
            if (said.contains("could not bind") || said.contains("could not create any TCP/IP sockets")) {
                throw new PortTaken(port, said);
            }
            throw new IllegalStateException(
                    e.getMessage() + " (PostgreSQL: " + binaries.origin() + "); " + log + " says:\n" + said, e);
        }
    }

    private static String logSince(Path log, long offset) {
        try {
            byte[] all = Files.readAllBytes(log);
            byte[] since = Arrays.copyOfRange(all, (int) Math.min(offset, all.length), all.length);
            return new String(since, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The port was taken between choosing it and postgres binding it: another one is tried. */
    private static final class PortTaken extends IllegalStateException {
        PortTaken(int port, String log) {
            super("port " + port + " is in use (another server?):\n" + log);
        }
    }
}
