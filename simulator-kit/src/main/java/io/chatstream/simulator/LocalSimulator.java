package io.chatstream.simulator;

import java.util.OptionalInt;

/** A {@link VendorSimulator} with a port of its own in the local run: its name and port, declared once. */
public abstract class LocalSimulator implements VendorSimulator {

    private final String provider;
    private final int port;

    protected LocalSimulator(String provider, int port) {
        this.provider = provider;
        this.port = port;
    }

    @Override
    public final String provider() {
        return provider;
    }

    @Override
    public final OptionalInt defaultPort() {
        return OptionalInt.of(port);
    }
}
