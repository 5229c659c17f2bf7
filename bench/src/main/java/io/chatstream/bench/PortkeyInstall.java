package io.chatstream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/**
 * Installs the Portkey gateway into {@code bench/target/portkey} with {@code npm ci} from the
 * committed {@code bench/portkey/package.json} and lock (exact versions: gateway 1.15.2,
 * {@code @hono/node-server} 1.14.1).
 */
final class PortkeyInstall {

    private PortkeyInstall() {}

    static Path ensure(Path benchDir) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(benchDir.resolve("target/portkey"));
        for (String file : new String[] {"package.json", "package-lock.json"}) {
            Files.copy(
                    benchDir.resolve("portkey").resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (Files.exists(dir.resolve("node_modules/@portkey-ai/gateway/build/start-server.js"))) {
            return dir;
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("npm-ci.log").toFile())
                .start();
        if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            npm.destroyForcibly();
            throw new IllegalStateException("npm ci failed: " + Files.readString(dir.resolve("npm-ci.log")));
        }
        return dir;
    }
}
