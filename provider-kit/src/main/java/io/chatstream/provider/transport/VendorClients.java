package io.chatstream.provider.transport;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;

/** The HTTP client of a provider, made the same way for every vendor. */
public final class VendorClients {

    private VendorClients() {}

    /**
     * Kept-alive connections ({@link VendorRequest} retries one the vendor closes), SNI, no
     * compression (the streamed bytes are read as they come), and at most {@code connections} per
     * vendor host: a streamed answer holds its connection, so this bounds concurrent answers.
     */
    public static HttpClient http(Vertx vertx, int connections) {
        return vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setForceSni(true).setTryUseCompression(false),
                new PoolOptions().setHttp1MaxSize(connections));
    }
}
