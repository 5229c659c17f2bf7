package io.chatstream.localpostgres;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The binaries' archive (tar + xz) extracted once per version into {@code
 * ${java.io.tmpdir}/chatstream-postgres-<version>}, keeping modes and symbolic links. Not under the
 * home folder: as root that is {@code /root}, closed to the unprivileged user that must read and run
 * them ({@link Unprivileged}); so everything is readable by all, and runnable where it was.
 *
 * <p>Extracted into a fresh folder beside it and renamed into place, so that JVMs starting together
 * never see half of it. A folder of that name that belongs to another user is not trusted (anyone
 * could have put binaries there): this user's then has its uid in the name.
 */
final class BinariesArchive {

    private static final Set<PosixFilePermission> OPEN_DIR = PosixFilePermissions.fromString("rwxr-xr-x");

    private BinariesArchive() {}

    static Path extracted(URL archive, String version) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        Path home = tmp.resolve("chatstream-postgres-" + version);
        if (Files.exists(home, LinkOption.NOFOLLOW_LINKS) && !ownedByThisUser(home)) {
            home = tmp.resolve("chatstream-postgres-" + version + "-" + Unprivileged.thisUid());
        }
        if (complete(home)) {
            return home;
        }
        Path staging = null;
        try {
            staging = Files.createTempDirectory(tmp, home.getFileName() + ".part-");
            untar(archive, staging);
            Files.setPosixFilePermissions(staging, OPEN_DIR);
            Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
            return home;
        } catch (IOException e) {
            if (complete(home)) {
                return home; // another JVM renamed its copy into place first
            }
            throw new UncheckedIOException(
                    "cannot extract the PostgreSQL binaries to " + home + " (delete it if it is left over)", e);
        } finally {
            if (staging != null) {
                Folders.deleteTree(staging);
            }
        }
    }

    private static boolean complete(Path home) {
        return Files.isExecutable(home.resolve("bin/postgres")) && ownedByThisUser(home);
    }

    private static boolean ownedByThisUser(Path path) {
        try {
            return ((Number) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue()
                    == Unprivileged.thisUid();
        } catch (IOException e) {
            return false;
        }
    }

    private static void untar(URL archive, Path into) throws IOException {
        try (InputStream in = archive.openStream();
                TarArchiveInputStream tar =
                        new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(in, 1 << 16)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("entry outside the archive's folder: " + entry.getName());
                }
                Files.createDirectories(target.getParent());
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                    continue; // a link has no mode of its own
                } else if (entry.isLink()) {
                    Files.createLink(target, into.resolve(entry.getLinkName()));
                } else {
                    Files.copy(tar, target);
                }
                Files.setPosixFilePermissions(target, openToAll(entry.getMode(), entry.isDirectory()));
            }
        }
    }

    /** The entry's mode, and readable by all; folders and what its owner may run, runnable by all. */
    private static Set<PosixFilePermission> openToAll(int mode, boolean directory) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission permission : PosixFilePermission.values()) {
            if ((mode & (0400 >> permission.ordinal())) != 0) { // the enum runs from owner read to others execute
                permissions.add(permission);
            }
        }
        permissions.addAll(EnumSet.of(
                PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.GROUP_READ,
                PosixFilePermission.OTHERS_READ));
        if (directory || permissions.contains(PosixFilePermission.OWNER_EXECUTE)) {
            permissions.addAll(EnumSet.of(
                    PosixFilePermission.OWNER_EXECUTE,
                    PosixFilePermission.GROUP_EXECUTE,
                    PosixFilePermission.OTHERS_EXECUTE));
        }
        return permissions;
    }
}
