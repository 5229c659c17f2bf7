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
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The whole gateway path, as a chat page uses it: each session keeps one WebSocket to the
 * session-service open, and a question is a {@code POST} to the ingress; the answer arrives on the
 * WebSocket (ingress → Kafka → connector → vendor → Kafka → session-service). Time to first token
 * is measured from the POST.
 */
final class GatewayTarget implements Target {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    private final BenchGateway cluster;
    private final String runId;
    private HttpClient http;
    private WebSocketClient wsClient;
    private final List<WebSocket> sockets = new ArrayList<>();
    private final List<AtomicReference<Pending>> current = new ArrayList<>();

    /** The message a session waits for, and what to run when it ends. */
    private record Pending(AnswerCheck check, Runnable done) {}

    GatewayTarget(Vertx vertx, BenchGateway cluster, String runId) {
        this.vertx = vertx;
        this.cluster = cluster;
        this.runId = runId;
    }

    @Override
    public String name() {
        return "gateway";
    }

    private int opens;

    String sessionId(int session) {
        return runId + "-" + opens + "-" + session;
    }

    @Override
    public Future<Void> open(int sessions) {
        // A target may be opened again (a warm-up, then the scenario): slots follow the sockets.
        sockets.clear();
        current.clear();
        opens++;
        http = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                new PoolOptions()
                        .setHttp1MaxSize(Math.min(Math.max(sessions, 1), 500))
                        .setMaxWaitQueueSize(-1));
        wsClient = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxConnections(sessions + 16)
                .setTcpNoDelay(true)
                .setConnectTimeout(30_000));
        List<Future<WebSocket>> opened = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            AtomicReference<Pending> slot = new AtomicReference<>();
            current.add(slot);
            String token = cluster.streamToken(sessionId(i));
            opened.add(wsClient.connect(
                            cluster.sessionPort(),
                            "127.0.0.1",
                            "/v1/sessions/" + sessionId(i) + "/stream?token=" + token)
                    .onSuccess(ws -> {
                        ws.textMessageHandler(text -> onFrame(slot, text));
                        ws.closeHandler(v -> {
                            Pending p = slot.getAndSet(null);
                            if (p != null) {
                                p.check().fail("WebSocket closed " + ws.closeStatusCode());
                                finish(p);
                            }
                        });
                    }));
        }
        return Future.all(opened).map(all -> {
            for (int i = 0; i < sessions; i++) {
                sockets.add(all.resultAt(i));
            }
            return null;
        });
    }

    @Override
    public void ask(int session, String question, int tokens, RunStats stats, Runnable done) {
        long posted = System.nanoTime();
        Pending pending = new Pending(new AnswerCheck(stats, question, tokens, posted), done);
        AtomicReference<Pending> slot = current.get(session);
        slot.set(pending);
        ObjectNode body = JSON.createObjectNode().put("bot", BenchGateway.BOT).put("text", question);
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost("127.0.0.1")
                .setPort(cluster.ingressPort())
                .setURI("/v1/sessions/" + sessionId(session) + "/messages")
                .putHeader("Authorization", "Bearer " + BenchGateway.API_KEY)
                .putHeader("Content-Type", "application/json");
        http.request(options)
                .compose(request -> request.send(Buffer.buffer(body.toString())))
                .compose(response -> response.body().map(b -> response.statusCode() + " " + b))
                .onComplete(answer -> {
                    stats.accepted(System.nanoTime() - posted);
                    String why = answer.failed()
                            ? "POST failed: " + answer.cause().getClass().getSimpleName()
                            : answer.result().startsWith("202 ") ? null : "POST answered " + answer.result();
                    if (why != null && slot.compareAndSet(pending, null)) {
                        pending.check().fail(why.length() > 120 ? why.substring(0, 120) : why);
                        finish(pending);
                    }
                });
        // An answer that never ends must not stop the run.
        vertx.setTimer(120_000, t -> {
            if (slot.compareAndSet(pending, null)) {
                pending.check().fail("no terminal event within 120 s");
                finish(pending);
            }
        });
    }

    private void onFrame(AtomicReference<Pending> slot, String text) {
        long nanos = System.nanoTime();
        long micros = SendTime.nowMicros();
        Pending p = slot.get();
        if (p == null) {
            return;
        }
        AnswerCheck check = p.check();
        JsonNode event;
        try {
            event = JSON.readTree(text);
        } catch (Exception e) {
            check.fail("unparsable frame");
            return;
        }
        String type = event.path("type").asText();
        long seq = event.path("seq").asLong(-1);
        switch (type) {
            case "message.started" -> check.seq(0, seq);
            case "message.delta" -> {
                check.seq(event.path("fromSeq").asLong(seq), seq);
                check.text(event.path("text").asText(), nanos, micros);
            }
            case "message.completed" -> {
                check.seq(seq, seq);
                if (!event.path("text").asText().equals(check.rawText())) {
                    check.fail("completed text differs from the deltas");
                }
                if (slot.compareAndSet(p, null)) {
                    finish(p);
                }
            }
            case "message.failed", "message.cancelled", "message.reset", "stream.error" -> {
                check.fail(type + " "
                        + event.path("error")
                                .path("code")
                                .asText(event.path("code").asText()));
                if (!type.equals("message.reset") && slot.compareAndSet(p, null)) {
                    finish(p);
                }
            }
            default -> check.fail("unknown event " + type);
        }
    }

    private static void finish(Pending p) {
        p.check().end();
        p.done().run();
    }

    @Override
    public Future<Void> close() {
        List<Future<Void>> closed = new ArrayList<>();
        sockets.forEach(ws -> closed.add(ws.close()));
        return Future.join(closed)
                .transform(v -> http == null ? Future.succeededFuture() : http.close())
                .transform(v -> wsClient == null ? Future.succeededFuture() : wsClient.close());
    }

    @Override
    public Map<String, ServerHistograms> serverHistograms() {
        Map<String, ServerHistograms> histograms = new LinkedHashMap<>();
        histograms.put(
                "connector: vendor's first token",
                new ServerHistograms(cluster.connectorPort(), "gateway_connector_first_token_seconds"));
        histograms.put(
                "session: Kafka → socket",
                new ServerHistograms(cluster.sessionPort(), "gateway_session_delivery_lag_seconds"));
        return histograms;
    }

    @Override
    public List<MeasuredProcess> processes() {
        return cluster.gatewayProcesses();
    }
}
