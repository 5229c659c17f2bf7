package io.chatstream.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The real single-node KRaft broker of module {@code local-kafka}, as its own process
 * ({@code LocalKafkaMain} from {@code local-kafka/target}): stopped with SIGTERM it shuts down
 * cleanly, and started again it keeps its ports and its data directory, so its records survive.
 */
public final class BrokerProcess extends ChildProcess {

    private final int port;

    public BrokerProcess(Path root, Path dataDir, int port, int controllerPort, Path log) {
        super(
                "kafka",
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx512m",
                        "-cp",
                        ModuleClasspath.of(root, "local-kafka"),
                        "io.chatstream.localkafka.LocalKafkaMain",
                        dataDir.toString(),
                        String.valueOf(port),
                        String.valueOf(controllerPort)),
                Map.of(),
                log,
                Duration.ofSeconds(60));
        this.port = port;
    }

    /** Waits until clients can connect ({@code KAFKA READY}). */
    public BrokerProcess awaitReady() {
        awaitLine("KAFKA READY", Duration.ofSeconds(90));
        return this;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }
}
