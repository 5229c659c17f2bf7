package io.chatstream.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.contract.token.TokenKind;
import io.chatstream.runtime.token.TokenSigner;
import io.chatstream.testkit.ChildProcess;
import io.chatstream.testkit.IngressClient;
import io.chatstream.testkit.ServiceProcess;
import io.chatstream.testkit.StreamClient;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Hostile WebSocket clients on one session-service replica while a well-behaved client streams on
 * it: wrong tokens, huge frames, floods of frames, clients that never read, more connections than
 * the replica takes. They are refused or closed with the contract's codes; the good client gets
 * exactly Kafka's events, and the replica keeps its threads and heap.
 */
@Order(30)
class HostileClientsIT {

    private static FaultGateway cluster;
    private static IngressClient api;

    @BeforeAll
    static void start() throws Exception {
        cluster = FaultGateway.shared();
        api = cluster.api();
    }

    @Test
    void hostileClientsAreRefusedOrClosedAndOthersUnaffected() throws Exception {
        ServiceProcess replica = cluster.sessions.get(1);
        int port = replica.port();
        long heapBefore = ProcessFigures.heapAfterGc(replica);
        ProcessFigures before = ProcessFigures.of(replica);
        Map<String, Integer> closes = new ConcurrentHashMap<>();

        String good = "good-" + UUID.randomUUID();
        StreamClient goodClient = new StreamClient(good, cluster.token(good)).connect(port);
        List<String> goodMessages = new ArrayList<>();
        Map<String, Instant> accepted = new java.util.LinkedHashMap<>();
        for (int m = 0; m < 2; m++) {
            IngressClient.Answer answer = api.post(good, "long", "the good client's story " + m);
            goodMessages.add(answer.messageId());
            accepted.put(answer.messageId(), answer.at());
        }

        // Wrong tokens: forged, expired, another session's, none, garbage.
        int wrong = Scale.of(25, 250);
        TokenSigner forger = new TokenSigner("not-the-secret-0123456789-0123456789");
        TokenSigner signer = new TokenSigner(FaultGateway.STREAM_TOKEN_SECRET);
        List<Raw> refused = new ArrayList<>();
        for (int i = 0; i < wrong; i++) {
            String session = "wrong-" + i;
            String token =
                    switch (i % 5) {
                        case 0 -> forger.sign(TokenKind.STREAM, session, "x", Duration.ofMinutes(5));
                        case 1 -> signer.sign(TokenKind.STREAM, session, "x", Duration.ofSeconds(-10));
                        case 2 -> signer.sign(TokenKind.STREAM, "another-session", "x", Duration.ofMinutes(5));
                        case 3 -> null;
                        default -> "garbage." + "x".repeat(i * 40);
                    };
            refused.add(Raw.open(port, session, token, true));
        }
        int refused1008 = 0;
        for (Raw raw : refused) {
            int code = raw.awaitClose(Duration.ofSeconds(10));
            closes.merge("wrong token → " + code, 1, Integer::sum);
            refused1008 += code == 1008 ? 1 : 0;
        }

        // Huge frames and floods of frames from clients.
        String abuse = "abuse-" + UUID.randomUUID();
        List<Raw> abusers = new ArrayList<>();
        for (int size : List.of(1024 * 1024, 16 * 1024 * 1024)) {
            Raw raw = Raw.open(port, abuse, cluster.token(abuse), true);
            raw.socket.sendText("h".repeat(size), true);
            abusers.add(raw);
        }
        int flood = Scale.of(20_000, 200_000);
        Raw flooder = Raw.open(port, abuse, cluster.token(abuse), true);
        for (int i = 0; i < flood && !flooder.closed.isDone(); i++) {
            flooder.socket.sendText("{\"type\":\"ping\",\"n\":" + i + "}", true).get(5, TimeUnit.SECONDS);
        }
        abusers.add(flooder);

        // Clients that never read, on a session with a flood of tokens.
        int sleepers = Scale.of(4, 20);
        String busy = "busy-" + UUID.randomUUID();
        List<Raw> neverReading = new ArrayList<>();
        for (int i = 0; i < sleepers; i++) {
            neverReading.add(Raw.open(port, busy, cluster.token(busy), false));
        }
        Map<String, Instant> floods = new java.util.LinkedHashMap<>();
        for (int m = 0; m < Scale.of(3, 10); m++) {
            IngressClient.Answer answer = api.post(busy, "hostile", "#hostile:flood " + m);
            floods.put(answer.messageId(), answer.at());
        }
        accepted.putAll(floods);

        // More connections than the replica takes (200 in this cluster).
        List<Raw> crowd = new ArrayList<>();
        for (int i = 0; i < 215; i++) {
            String session = "crowd-" + i;
            crowd.add(Raw.open(port, session, cluster.token(session), true));
        }
        ChildProcess.sleep(1000);
        int refused4002 = 0;
        for (Raw raw : crowd) {
            if (raw.closed.isDone()) {
                int code = raw.awaitClose(Duration.ofSeconds(1));
                refused4002 += code == 4002 ? 1 : 0;
            }
        }
        crowd.forEach(Raw::abort);

        boolean ended = cluster.events.awaitEnded(accepted.keySet(), Duration.ofSeconds(90));
        ConnectorKillIT.await(() -> goodClient.ended(goodMessages), "the good client to see its answers end");
        boolean goodExact = EventLog.expand(goodClient.frames()).equals(cluster.events.expected(goodMessages));
        goodClient.drop();
        for (Raw raw : abusers) {
            int code = raw.awaitClose(Duration.ofSeconds(3));
            closes.merge(
                    (raw == flooder ? "frame flood → " : "huge frame → ") + (code == 0 ? "open" : code),
                    1,
                    Integer::sum);
            raw.abort();
        }
        // A client that does not read gets merged deltas (its queue stays small) or, past the
        // queue's limits, 4001; either way it may read again, and the replica's memory stays put.
        int slowOk = 0;
        for (Raw raw : neverReading) {
            raw.startReading();
            int code = raw.awaitClose(Duration.ofSeconds(2));
            closes.merge("never reading → " + (code == 0 ? "open, merged deltas" : code), 1, Integer::sum);
            slowOk += code == 0 || code == 4001 ? 1 : 0;
            raw.abort();
        }
        ChildProcess.sleep(2000);
        long heapAfter = ProcessFigures.heapAfterGc(replica);
        ProcessFigures after = ProcessFigures.of(replica);
        Verdict verdict = Verdict.of(cluster.events, accepted);
        Figures.row(
                "hostile WebSocket clients beside a good one",
                verdict,
                wrong + " wrong tokens, 2 huge frames (1 and 16 MiB), " + flood + " frames flooded, " + sleepers
                        + " clients never reading " + floods.size() + " × 20,000-token answers, 215 connections over a"
                        + " limit of 200 → " + new TreeMap<>(closes) + ", 4002 × " + refused4002
                        + "; good client saw exactly Kafka's events: " + goodExact + "; replica before: " + before
                        + ", heap after GC " + heapBefore / (1024 * 1024) + " MiB; after: " + after + ", heap after GC "
                        + heapAfter / (1024 * 1024) + " MiB; alive: " + replica.alive());
        assertThat(refused1008).isEqualTo(wrong);
        assertThat(goodExact).isTrue();
        assertThat(ended).isTrue();
        assertThat(verdict.clean()).isTrue();
        assertThat(replica.alive()).isTrue();
        assertThat(slowOk)
                .as("never-reading clients kept open with merged deltas, or closed with 4001")
                .isEqualTo(sleepers);
        assertThat(refused4002)
                .as("connections over the limit refused with 4002")
                .isPositive();
        assertThat(after.threads()).isLessThanOrEqualTo(before.threads() + 8);
        assertThat(heapAfter).isLessThan(heapBefore + 48L * 1024 * 1024);
    }

    /** A raw client: reads or not, and records how the server closed it. */
    static final class Raw implements WebSocket.Listener {

        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final boolean reading;
        volatile WebSocket socket;

        private Raw(boolean reading) {
            this.reading = reading;
        }

        static Raw open(int port, String session, String token, boolean reading) {
            Raw raw = new Raw(reading);
            String url = "ws://127.0.0.1:" + port + "/v1/sessions/" + session + "/stream"
                    + (token == null ? "" : "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
            try {
                raw.socket = IngressClient.HTTP
                        .newWebSocketBuilder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .buildAsync(URI.create(url), raw)
                        .get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                raw.closed.complete(-2);
            }
            return raw;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            if (reading) {
                webSocket.request(Long.MAX_VALUE);
            }
        }

        void startReading() {
            if (socket != null) {
                socket.request(Long.MAX_VALUE);
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }

        int awaitClose(Duration timeout) {
            try {
                return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                return 0; // still open
            }
        }

        void abort() {
            if (socket != null) {
                socket.abort();
            }
        }
    }
}
