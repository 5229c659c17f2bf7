package io.chatstream.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ports for the processes of a test, on 127.0.0.1, below the kernel's ephemeral range (32768 and
 * up): a port that {@code bind(0)} hands out is an ephemeral one, which an outgoing connection (a
 * Kafka client's, a simulator's) may take in the moment before the process it was meant for binds
 * it ("Port … seems to be in use"). Never the same port twice in one JVM.
 */
final class LoopbackPorts {

    private static final int FIRST = 20_000;
    private static final int COUNT = 12_000;
    private static final Random RANDOM = new Random();
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private LoopbackPorts() {}

    /** A port free right now. */
    static int free() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = FIRST + RANDOM.nextInt(COUNT);
            if (!HANDED_OUT.add(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException e) {
                // Taken by something else: another one.
            }
        }
        throw new UncheckedIOException(new IOException("no free port between " + FIRST + " and " + (FIRST + COUNT)));
    }
}
