package io.chatstream.localpostgres;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the server from its own JVM: {@code java -cp … LocalPostgresMain <data dir> [port]
 * [--for-tests]} (port 5433 unless given; 0: a free one). Prints {@code POSTGRES READY <jdbc url>}
 * once role and database {@code gateway} exist, and stops the server (fast shutdown) on SIGTERM. If
 * the server exits on its own, so does this JVM (status 1 unless the server stopped cleanly).
 */
public final class LocalPostgresMain {

    /** Not 5432, where a PostgreSQL installed on the machine usually listens. */
    static final int DEFAULT_PORT = 5433;

    private LocalPostgresMain() {}

    public static void main(String[] args) throws InterruptedException {
        List<String> positional = new ArrayList<>(List.of(args));
        boolean forTests = positional.remove("--for-tests");
        if (positional.isEmpty() || positional.size() > 2 || !validPort(positional)) {
            System.err.println("usage: LocalPostgresMain <data dir> [port, 0-65535: 0 a free one; 5433 unless given]"
                    + " [--for-tests: no fsync, for throw-away data]");
            System.exit(2);
        }
        Path dataDir = Path.of(positional.get(0));
        int port = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : DEFAULT_PORT;
        LocalPostgres server = LocalPostgres.start(dataDir, port, forTests);
        System.out.println("postgres data in " + server.dataDir() + ", its log " + server.log());
        System.out.println("POSTGRES READY " + server.jdbcUrl());
        int status = server.awaitExit();
        if (!server.closed()) { // stopped by someone else (a signal to the process group, pg_ctl), or crashed
            System.err.println("postgres exited on its own with status " + status + "; see " + server.log());
            System.exit(status == 0 ? 0 : 1);
        }
    }

    private static boolean validPort(List<String> positional) {
        if (positional.size() < 2) {
            return true;
        }
        try {
            int port = Integer.parseInt(positional.get(1));
            return port >= 0 && port <= 65535;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
