package io.chatstream.simulator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/**
 * The base of the vendors' HTTP simulators: one Vert.x HTTP server on loopback, its listen and
 * close. A simulator says how it handles a request (and, for WebSockets or socket.io, the upgrade
 * within it).
 */
public abstract class HttpSimulator {

    protected final Vertx vertx;
    private HttpServer server;

    protected HttpSimulator(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Listens on {@code 127.0.0.1:port} (0: a free port); the future has the port. */
    public Future<Integer> listen(int port) {
        return configure(vertx.createHttpServer())
                .requestHandler(this::handle)
                .listen(port, "127.0.0.1")
                .map(s -> {
                    server = s;
                    return s.actualPort();
                });
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    /**
     * Vendor streams (responses, sockets) it holds open now: a cancel or a failure must bring this
     * back to 0, which is how the contract test proves that the vendor connection was closed.
     */
    public abstract int openStreams();

    /** Sets what else the server does before it listens (count connections …); nothing by default. */
    protected HttpServer configure(HttpServer server) {
        return server;
    }

    protected abstract void handle(HttpServerRequest request);
}
