package io.chatstream.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The classpath of a plain-jar module run as its own process: its jar and target/lib (copied at package). */
final class ModuleClasspath {

    private ModuleClasspath() {}

    static String of(Path root, String module) {
        Path target = root.resolve(module).resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            Path jar = files.filter(f -> f.getFileName().toString().matches(module + "-.*\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "no " + module + " jar in " + target + ": package first (./mvnw verify does)"));
            return jar + ":" + target.resolve("lib/*");
        } catch (IOException e) {
            throw new UncheckedIOException(target + " is missing: package " + module + " first", e);
        }
    }
}
