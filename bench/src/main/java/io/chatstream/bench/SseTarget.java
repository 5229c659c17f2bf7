package io.chatstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatstream.provider.openai.simulator.SendTime;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Streams from an OpenAI-compatible endpoint over SSE, one HTTP/1.1 connection per stream: the
 * simulator itself (the direct baseline) or a peer gateway in front of it.
 */
final class SseTarget implements Target {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final Vertx vertx;
    private final int port;
    private final String path;
    private final Map<String, String> headers;
    private final List<MeasuredProcess> processes;
    private HttpClient client;

    SseTarget(
            String name,
            Vertx vertx,
            int port,
            String path,
            Map<String, String> headers,
            List<MeasuredProcess> processes) {
        this.name = name;
        this.vertx = vertx;
        this.port = port;
        this.path = path;
        this.headers = headers;
        this.processes = processes;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Future<Void> open(int sessions) {
        client = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                new PoolOptions().setHttp1MaxSize(Math.max(sessions, 1) + 8).setMaxWaitQueueSize(-1));
        return Future.succeededFuture();
    }

    @Override
    public void ask(int session, String question, int tokens, RunStats stats, Runnable done) {
        AtomicBoolean finished = new AtomicBoolean();
        Runnable once = () -> {
            if (finished.compareAndSet(false, true)) {
                done.run();
            }
        };
        ObjectNode body = JSON.createObjectNode().put("model", "sim-model").put("stream", true);
        body.putArray("messages").addObject().put("role", "user").put("content", question);
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost("127.0.0.1")
                .setPort(port)
                .setURI(path)
                .putHeader("Content-Type", "application/json")
                .putHeader("Accept", "text/event-stream");
        headers.forEach(options::putHeader);
        long posted = System.nanoTime();
        AnswerCheck check = new AnswerCheck(stats, question, tokens, posted);
        client.request(options)
                .compose(request -> request.send(Buffer.buffer(body.toString())))
                .onSuccess(response -> read(response, check, once))
                .onFailure(e -> {
                    check.fail("request failed: " + e.getClass().getSimpleName());
                    check.end();
                    once.run();
                });
    }

    private void read(HttpClientResponse response, AnswerCheck check, Runnable done) {
        if (response.statusCode() != 200) {
            response.body().onComplete(b -> {
                check.fail("HTTP " + response.statusCode());
                check.end();
                done.run();
            });
            return;
        }
        SseFrames frames = new SseFrames();
        response.handler(buffer -> {
            long nanos = System.nanoTime();
            long micros = SendTime.nowMicros();
            for (String data : frames.feed(buffer)) {
                if (data.equals("[DONE]")) {
                    check.end();
                    continue;
                }
                try {
                    JsonNode content = JSON.readTree(data)
                            .path("choices")
                            .path(0)
                            .path("delta")
                            .path("content");
                    if (content.isTextual() && !content.asText().isEmpty()) {
                        check.text(content.asText(), nanos, micros);
                    }
                } catch (Exception e) {
                    check.fail("unparsable chunk");
                }
            }
        });
        response.exceptionHandler(e -> check.fail("connection broke"));
        response.endHandler(v -> {
            if (!check.ended()) {
                check.fail("no [DONE]");
                check.end();
            }
            done.run();
        });
    }

    @Override
    public Future<Void> close() {
        return client == null ? Future.succeededFuture() : client.close();
    }

    @Override
    public List<MeasuredProcess> processes() {
        return processes;
    }

    /** Splits a byte stream into SSE events and returns their {@code data} (bytes kept until a line ends). */
    static final class SseFrames {
        private Buffer pending = Buffer.buffer();
        private final StringBuilder data = new StringBuilder();

        List<String> feed(Buffer buffer) {
            pending.appendBuffer(buffer);
            List<String> out = new java.util.ArrayList<>(2);
            int start = 0;
            int n = pending.length();
            for (int i = 0; i < n; i++) {
                if (pending.getByte(i) != '\n') {
                    continue;
                }
                int end = i > start && pending.getByte(i - 1) == '\r' ? i - 1 : i;
                String line = new String(pending.getBytes(start, end), StandardCharsets.UTF_8);
                start = i + 1;
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        out.add(data.toString());
                        data.setLength(0);
                    }
                } else if (line.startsWith("data:")) {
                    if (data.length() > 0) {
                        data.append('\n');
                    }
                    data.append(line.startsWith("data: ") ? line.substring(6) : line.substring(5));
                }
            }
            pending = start == n ? Buffer.buffer() : pending.getBuffer(start, n);
            return out;
        }
    }
}
