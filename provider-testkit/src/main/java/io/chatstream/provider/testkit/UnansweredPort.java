package io.chatstream.provider.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback port where a connection attempt hangs until the client gives up, for connect-timeout
 * tests: a listening socket whose accept queue is full, so the kernel drops further SYNs (a
 * blackhole address may be answered by a proxy).
 */
public final class UnansweredPort implements AutoCloseable {

    private final ServerSocket full;
    private final List<Socket> fillers = new ArrayList<>();

    private UnansweredPort() throws IOException {
        full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        for (int i = 0; i < 8; i++) {
            Socket filler = new Socket();
            try {
                filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort()), 200);
                fillers.add(filler);
            } catch (IOException queueFull) {
                filler.close();
                break;
            }
        }
    }

    public static UnansweredPort open() throws IOException {
        return new UnansweredPort();
    }

    public int port() {
        return full.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        for (Socket filler : fillers) {
            filler.close();
        }
        full.close();
    }
}
