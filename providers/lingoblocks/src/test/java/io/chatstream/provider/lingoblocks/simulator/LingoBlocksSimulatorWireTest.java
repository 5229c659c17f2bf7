package io.chatstream.provider.lingoblocks.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The simulator's bytes on the wire, read with a plain HTTP / websocket client: the Engine.IO v4 and Socket.IO v5 framing. */
class LingoBlocksSimulatorWireTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SEP = "\u001e";

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient http = vertx.createHttpClient();
    private final java.net.http.HttpClient plain = java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1)
            .build();
    private LingoBlocksSimulator simulator;
    private int port;

    private record Reply(int status, String body) {}

    private Map<String, String> simulatorDefaults = Map.of();

    private void start(Map<String, String> defaults) throws Exception {
        simulatorDefaults = defaults;
        simulator = new LingoBlocksSimulator(vertx, "sim-chatbot", defaults);
        port = simulator.listen(0).toCompletionStage().toCompletableFuture().get();
    }

    @AfterEach
    void stop() throws Exception {
        simulator.close().toCompletionStage().toCompletableFuture().get();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    /** A plain HTTP/1.1 exchange (the JDK client: blocking, nothing shared with the server's event loops). */
    private Reply call(HttpMethod method, String uri, String body, MultiMap headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + uri))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method.name(),
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        HttpResponse<String> response =
                plain.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Reply(response.statusCode(), response.body());
    }

    private String token() throws Exception {
        Reply auth =
                call(HttpMethod.POST, "/v1/chatbot/sim-chatbot/authenticate", "{}", MultiMap.caseInsensitiveMultiMap());
        assertThat(auth.status()).isEqualTo(200);
        return JSON.readTree(auth.body()).get("accessToken").asText();
    }

    private static MultiMap withToken(String token) {
        return MultiMap.caseInsensitiveMultiMap().add("access-token", token);
    }

    /** The polling handshake; returns the sid. */
    private String handshake(String token) throws Exception {
        Reply open = call(HttpMethod.GET, "/socket.io/?EIO=4&transport=polling&t=abc", null, withToken(token));
        assertThat(open.status()).isEqualTo(200);
        assertThat(open.body()).startsWith("0{");
        JsonNode data = JSON.readTree(open.body().substring(1));
        assertThat(data.get("upgrades").toString()).isEqualTo("[\"websocket\"]");
        assertThat(data.get("maxPayload").asInt()).isEqualTo(1_000_000);
        if (simulatorDefaults.isEmpty()) {
            assertThat(data.get("pingInterval").asInt()).isEqualTo(25000); // socket.io's defaults
            assertThat(data.get("pingTimeout").asInt()).isEqualTo(20000);
        }
        return data.get("sid").asText();
    }

    @Test
    void pollingHandshakeThenNamespaceConnect() throws Exception {
        start(Map.of());
        String sid = handshake(token());
        Reply posted = call(
                HttpMethod.POST,
                "/socket.io/?EIO=4&transport=polling&sid=" + sid,
                "40",
                MultiMap.caseInsensitiveMultiMap());
        assertThat(posted.body()).isEqualTo("ok");
        Reply connected = call(
                HttpMethod.GET,
                "/socket.io/?EIO=4&transport=polling&sid=" + sid,
                null,
                MultiMap.caseInsensitiveMultiMap());
        assertThat(connected.body()).matches("40\\{\"sid\":\"[^\"]+\"\\}");
        assertThat(simulator.openStreams()).isEqualTo(1);
        call(
                HttpMethod.POST,
                "/socket.io/?EIO=4&transport=polling&sid=" + sid,
                "41" + SEP + "1",
                MultiMap.caseInsensitiveMultiMap());
        assertThat(simulator.openStreams()).isZero();
    }

    @Test
    void aBadTokenGetsAConnectErrorPacket() throws Exception {
        start(Map.of());
        String sid = handshake("not-a-token");
        call(
                HttpMethod.POST,
                "/socket.io/?EIO=4&transport=polling&sid=" + sid,
                "40",
                MultiMap.caseInsensitiveMultiMap());
        Reply refused = call(
                HttpMethod.GET,
                "/socket.io/?EIO=4&transport=polling&sid=" + sid,
                null,
                MultiMap.caseInsensitiveMultiMap());
        assertThat(refused.body()).isEqualTo("44{\"message\":\"Invalid access token\"}");
    }

    @Test
    void withRefuseHttpABadTokenGets403OnTheHandshake() throws Exception {
        start(Map.of("refuse", "http"));
        Reply refused = call(HttpMethod.GET, "/socket.io/?EIO=4&transport=polling", null, withToken("nope"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).isEqualTo("{\"code\":4,\"message\":\"Forbidden\"}");
    }

    @Test
    void engineIoErrors() throws Exception {
        start(Map.of());
        Reply v3 =
                call(HttpMethod.GET, "/socket.io/?EIO=3&transport=polling", null, MultiMap.caseInsensitiveMultiMap());
        assertThat(v3.status()).isEqualTo(400);
        assertThat(v3.body()).isEqualTo("{\"code\":5,\"message\":\"Unsupported protocol version\"}");
        Reply unknown = call(
                HttpMethod.GET,
                "/socket.io/?EIO=4&transport=polling&sid=nope",
                null,
                MultiMap.caseInsensitiveMultiMap());
        assertThat(unknown.body()).isEqualTo("{\"code\":1,\"message\":\"Session ID unknown\"}");
        Reply transport =
                call(HttpMethod.GET, "/socket.io/?EIO=4&transport=flash", null, MultiMap.caseInsensitiveMultiMap());
        assertThat(transport.body()).isEqualTo("{\"code\":0,\"message\":\"Transport unknown\"}");
    }

    @Test
    void upgradeThenPingPongThenAnswerEventsThenTheMessageResponse() throws Exception {
        start(Map.of("ping-interval", "200ms", "ping-timeout", "2000ms"));
        String token = token();
        String sid = handshake(token);
        call(
                HttpMethod.POST,
                "/socket.io/?EIO=4&transport=polling&sid=" + sid,
                "40",
                MultiMap.caseInsensitiveMultiMap());
        assertThat(call(
                                HttpMethod.GET,
                                "/socket.io/?EIO=4&transport=polling&sid=" + sid,
                                null,
                                MultiMap.caseInsensitiveMultiMap())
                        .body())
                .startsWith("40{");

        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket ws = http.webSocket(new WebSocketConnectOptions()
                        .setHost("127.0.0.1")
                        .setPort(port)
                        .setURI("/socket.io/?EIO=4&transport=websocket&sid=" + sid))
                .toCompletionStage()
                .toCompletableFuture()
                .get(15, TimeUnit.SECONDS);
        ws.textMessageHandler(frames::add);
        ws.writeTextMessage("2probe");
        assertThat(frames.poll(15, TimeUnit.SECONDS)).isEqualTo("3probe");
        ws.writeTextMessage("5");
        assertThat(frames.poll(15, TimeUnit.SECONDS)).isEqualTo("2"); // the server pings
        ws.writeTextMessage("3");

        java.util.concurrent.CompletableFuture<HttpResponse<String>> answer = plain.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chatbot/sim-chatbot/message"))
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"text\":\"Hi there #sim:tokens=3 #sim:cumulative\",\"accessToken\":\"" + token
                                        + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            String frame = frames.poll(15, TimeUnit.SECONDS);
            while ("2".equals(frame)) {
                ws.writeTextMessage("3");
                frame = frames.poll(15, TimeUnit.SECONDS);
            }
            assertThat(frame).startsWith("42[\"message\",{\"event\":\"chatbot.responseGenerated\",\"data\":");
            events.append(JSON.readTree(frame.substring(2)).get(1).get("data").asText())
                    .append('|');
        }
        assertThat(events.toString()).isEqualTo("You|You said:|You said: Hi|");
        HttpResponse<String> reply = answer.get(15, TimeUnit.SECONDS);
        assertThat(reply.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(reply.body());
        assertThat(body.get("response").asText()).isEqualTo("You said: Hi");
        assertThat(body.get("metadata").isObject()).isTrue();
        assertThat(simulator.upgrades()).isEqualTo(1);
        assertThat(simulator.pongs()).isGreaterThanOrEqualTo(1);

        ws.close();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (simulator.openStreams() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(simulator.openStreams()).isZero();
    }

    @Test
    void restErrors() throws Exception {
        start(Map.of());
        assertThat(call(HttpMethod.POST, "/v1/chatbot/other/authenticate", "{}", MultiMap.caseInsensitiveMultiMap())
                        .status())
                .isEqualTo(404);
        Reply expired = call(
                HttpMethod.POST,
                "/v1/chatbot/sim-chatbot/message",
                "{\"text\":\"hi\",\"accessToken\":\"old\"}",
                MultiMap.caseInsensitiveMultiMap());
        assertThat(expired.status()).isEqualTo(401);
        String token = token();
        Reply same = call(
                HttpMethod.POST,
                "/v1/chatbot/sim-chatbot/authenticate",
                "{\"accessToken\":\"" + token + "\"}",
                MultiMap.caseInsensitiveMultiMap());
        assertThat(JSON.readTree(same.body()).get("accessToken").asText()).isEqualTo(token);
    }
}
