package io.chatstream.localpostgres;

import com.sun.security.auth.module.UnixSystem;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Who runs {@code initdb} and {@code postgres}. PostgreSQL refuses to run as root ("cannot be run
 * as root"), and CI and containers run as root: then both run as user {@code postgres} (or
 * {@code nobody} where there is none) through util-linux's {@code setpriv}, and the data directory
 * is handed to that user. Otherwise they run as this JVM's user.
 *
 * <p>Either way, where {@code setpriv} exists the postmaster gets SIGINT (fast shutdown) when the
 * thread that started it ends ({@code --pdeathsig}): a test JVM killed with {@code kill -9} leaves
 * no server behind. Without {@code setpriv} (macOS, not as root) nothing does that.
 */
record Unprivileged(String user, long uid, long gid, Optional<Path> setpriv) {

    /** For this JVM: its own user, or an unprivileged one when it is root. */
    static Unprivileged forThisJvm() {
        Optional<Path> setpriv = onPath("setpriv");
        long self = thisUid();
        if (self != 0) {
            return new Unprivileged(System.getProperty("user.name"), self, new UnixSystem().getGid(), setpriv);
        }
        if (setpriv.isEmpty()) {
            throw new IllegalStateException("PostgreSQL refuses to run as root, and setpriv (util-linux) is"
                    + " missing to run it as another user: install util-linux, or run as a user other than root");
        }
        String user = id("-u", "postgres").isPresent() ? "postgres" : "nobody";
        long uid = id("-u", user).orElseThrow(() -> new IllegalStateException("no user " + user));
        long gid = id("-g", user).orElseThrow();
        return new Unprivileged(user, uid, gid, setpriv);
    }

    static long thisUid() {
        return new UnixSystem().getUid();
    }

    /** Whether it runs as another user than this JVM's (this JVM is root). */
    boolean switchesUser() {
        return uid != thisUid();
    }

    /** The command, run as this user and stopped with the thread that starts it (where setpriv exists). */
    List<String> command(List<String> command) {
        List<String> wrapped = new ArrayList<>();
        setpriv.ifPresent(tool -> {
            wrapped.add(tool.toString());
            if (switchesUser()) {
                wrapped.addAll(List.of("--reuid=" + uid, "--regid=" + gid, "--clear-groups"));
            }
            wrapped.add("--pdeathsig=INT");
        });
        wrapped.addAll(command);
        return wrapped;
    }

    /** Hands the directory (and all in it) to this user, unless it has it already. */
    void own(Path dir) {
        try {
            if (!switchesUser() || ((Number) Files.getAttribute(dir, "unix:uid")).longValue() == uid) {
                return;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run(List.of("chown", "-R", uid + ":" + gid, dir.toString()));
    }

    /**
     * Fails, naming the folder, unless this user can reach {@code dir}: every parent must let it
     * through ({@code x} for it as owner, as group, or for others). A temporary folder made by root
     * is {@code 700}, which initdb would only report as "Permission denied".
     */
    void checkCanReach(Path dir) {
        if (!switchesUser()) {
            return; // this JVM's own user: initdb's own message says enough
        }
        for (Path parent = dir.toAbsolutePath().getParent(); parent != null; parent = parent.getParent()) {
            try {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(parent);
                long owner = ((Number) Files.getAttribute(parent, "unix:uid")).longValue();
                long group = ((Number) Files.getAttribute(parent, "unix:gid")).longValue();
                boolean through = mode.contains(PosixFilePermission.OTHERS_EXECUTE)
                        || (owner == uid && mode.contains(PosixFilePermission.OWNER_EXECUTE))
                        || (group == gid && mode.contains(PosixFilePermission.GROUP_EXECUTE));
                if (!through) {
                    throw new IllegalStateException("PostgreSQL runs as user " + user + ", who cannot reach " + dir
                            + ": " + parent + " is closed to it (mode "
                            + PosixFilePermissions.toString(mode) + "); chmod o+x it,"
                            + " or put the data directory elsewhere");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static Optional<Path> onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin:/bin:/usr/sbin";
        return Stream.of(path.split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, tool))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** {@code id -u user} or {@code id -g user}; empty when there is no such user. */
    private static Optional<Long> id(String which, String user) {
        try {
            Process id = new ProcessBuilder("id", which, user)
                    .redirectErrorStream(true)
                    .start();
            String out = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return id.waitFor() == 0 ? Optional.of(Long.parseLong(out)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs a short command; its output is the message when it fails. */
    static String run(List<String> command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = process.waitFor();
            if (rc != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + rc + "):\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
