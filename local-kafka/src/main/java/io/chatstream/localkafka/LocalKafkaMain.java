package io.chatstream.localkafka;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the broker as its own process: {@code java -cp … LocalKafkaMain <data dir> [port]
 * [controller port]}. Prints {@code KAFKA READY <bootstrap>} once clients can connect, and stops
 * cleanly on SIGTERM.
 */
public final class LocalKafkaMain {

    private LocalKafkaMain() {}

    public static void main(String[] args) throws InterruptedException {
        Path dataDir = Path.of(args.length > 0 ? args[0] : "target/kafka-data");
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 9092;
        int controllerPort = args.length > 2 ? Integer.parseInt(args[2]) : 9093;
        KRaftBroker broker = KRaftBroker.start(dataDir, port, controllerPort);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }));
        System.out.println("KAFKA READY " + broker.bootstrapServers());
        stopped.await();
    }
}
