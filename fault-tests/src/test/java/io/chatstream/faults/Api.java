package io.chatstream.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatstream.contract.event.EventJson;
import io.chatstream.contract.token.TokenKind;
import io.chatstream.runtime.token.TokenSigner;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/** The ingress as a client calls it. */
final class Api {

    // HTTP/1.1 as API clients speak it: the JDK's default (HTTP/2) tries an h2c upgrade on every
    // new connection, which under a burst of concurrent POSTs failed calls client-side (IOException).
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(java.util.concurrent.Executors.newFixedThreadPool(8, r -> {
                Thread t = new Thread(r, "fault-http");
                t.setDaemon(true);
                return t;
            }))
            .build();

    /** One answer of the ingress; status -1 when the call itself failed (timeout, connection). */
    record Answer(int status, JsonNode body, Duration took, Instant at) {
        String messageId() {
            return body == null ? null : body.path("messageId").asText(null);
        }
    }

    private final FaultCluster cluster;

    Api(FaultCluster cluster) {
        this.cluster = cluster;
    }

    Answer post(String session, String bot, String text) {
        return post(session, "{\"bot\":\"" + bot + "\",\"text\":" + quote(text) + "}", null, Duration.ofSeconds(30));
    }

    Answer post(String session, String json, String idempotencyKey, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(cluster.ingress.baseUrl() + "/v1/sessions/" + session + "/messages"))
                .timeout(timeout)
                .header("Authorization", "Bearer " + FaultCluster.API_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = null;
            try {
                body = EventJson.mapper().readTree(response.body());
            } catch (IOException e) {
                // not JSON: kept as null
            }
            return new Answer(response.statusCode(), body, Duration.ofNanos(System.nanoTime() - start), Instant.now());
        } catch (IOException e) {
            if (!(e instanceof java.net.http.HttpTimeoutException)) {
                System.err.println("fault-tests: a call failed client-side: " + e);
            }
            return new Answer(-1, null, Duration.ofNanos(System.nanoTime() - start), Instant.now());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, null, Duration.ofNanos(System.nanoTime() - start), Instant.now());
        }
    }

    static String token(String session) {
        return new TokenSigner(FaultCluster.STREAM_TOKEN_SECRET)
                .sign(TokenKind.STREAM, session, "faults", Duration.ofMinutes(10));
    }

    static String quote(String text) {
        try {
            return EventJson.mapper().writeValueAsString(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
