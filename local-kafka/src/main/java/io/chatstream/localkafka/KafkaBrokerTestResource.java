package io.chatstream.localkafka;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One real broker per test JVM, shared by every {@code @QuarkusTest} class of a module (each
 * names this resource, so Quarkus starts once too). Stopped when the JVM exits.
 */
public class KafkaBrokerTestResource implements QuarkusTestResourceLifecycleManager {

    private static KRaftBroker broker;

    /** The shared broker, started on first use. */
    public static synchronized KRaftBroker broker() {
        if (broker == null) {
            try {
                Path dataDir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "kafka-");
                broker = KRaftBroker.start(dataDir, 0, 0);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            KRaftBroker started = broker;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close));
        }
        return broker;
    }

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", broker().bootstrapServers());
    }

    @Override
    public void stop() {
        // Kept for the other test classes of this JVM; the shutdown hook stops it.
    }
}
