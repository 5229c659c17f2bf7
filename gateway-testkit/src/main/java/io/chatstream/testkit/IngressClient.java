package io.chatstream.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatstream.contract.event.EventJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;

/** The ingress as an API client calls it, with one API key: a user's message, with or without an Idempotency-Key. */
public final class IngressClient {

    /**
     * HTTP/1.1 as API clients speak it: the JDK's default (HTTP/2) tries an h2c upgrade on every new
     * connection, which under a burst of concurrent POSTs failed calls client-side (IOException).
     */
    public static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(8, r -> {
                Thread t = new Thread(r, "ingress-client");
                t.setDaemon(true);
                return t;
            }))
            .build();

    /** One answer of the ingress; status -1 when the call itself failed (timeout, connection). */
    public record Answer(int status, JsonNode body, Duration took, Instant at) {
        public String messageId() {
            return body == null ? null : body.path("messageId").asText(null);
        }

        public String streamUrl() {
            return body == null ? null : body.path("streamUrl").asText(null);
        }
    }

    private final String baseUrl;
    private final String apiKey;

    public IngressClient(String baseUrl, String apiKey) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    /** {@code POST /v1/sessions/{session}/messages} of {@code text} to {@code bot}, within 30 s. */
    public Answer post(String session, String bot, String text) {
        return post(session, "{\"bot\":\"" + bot + "\",\"text\":" + quote(text) + "}", null, Duration.ofSeconds(30));
    }

    /** The same with any body (even a malformed one), an {@code Idempotency-Key} if not null, a timeout. */
    public Answer post(String session, String json, String idempotencyKey, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(baseUrl + "/v1/sessions/" + session + "/messages"))
                .timeout(timeout)
                .header("Authorization", "Bearer " + apiKey)
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
            if (!(e instanceof HttpTimeoutException)) {
                System.err.println("ingress client: a call failed client-side: " + e);
            }
            return new Answer(-1, null, Duration.ofNanos(System.nanoTime() - start), Instant.now());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, null, Duration.ofNanos(System.nanoTime() - start), Instant.now());
        }
    }

    /** Any other call on a session ({@code path} after {@code /v1/sessions/{session}}), without a body. */
    public HttpResponse<String> call(String method, String session, String path)
            throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/v1/sessions/" + session + path))
                        .header("Authorization", "Bearer " + apiKey)
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code POST …/messages/{messageId}/cancel}: 202, 409 when the message ended already; -1 when the call failed. */
    public int cancel(String session, String messageId) {
        try {
            return call("POST", session, "/messages/" + messageId + "/cancel").statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** {@code text} as a JSON string. */
    public static String quote(String text) {
        try {
            return EventJson.mapper().writeValueAsString(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
