package io.chatstream.provider.lingoblocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatstream.provider.Conversation;
import io.chatstream.provider.ProviderCall;
import io.chatstream.provider.ProviderChunk;
import io.chatstream.provider.testkit.TestBots;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The provider against a server nobody here wrote: the npm {@code socket.io} package (pinned),
 * installed by this test under {@code target/} and run with node. Skipped, saying why, when node or
 * npm is missing or the npm registry cannot be reached.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LingoBlocksStockServerTest {

    static final String SOCKET_IO = "socket.io@4.8.1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir = Path.of("target", "stock-socketio").toAbsolutePath();
    private Process node;
    private String url;
    private Vertx vertx;
    private LingoBlocksProvider provider;

    /** Why the tests are skipped, or null when the stock server runs. */
    private String skipped;

    @BeforeAll
    void start() throws Exception {
        skipped = install();
        if (skipped != null) {
            System.err.println("LingoBlocksStockServerTest skipped: " + skipped);
            return;
        }
        node = new ProcessBuilder("node", "server.js")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        String line;
        do {
            line = lines.poll(20, TimeUnit.SECONDS);
        } while (line != null && !line.startsWith("LISTENING "));
        assertThat(line).as("the node server started").isNotNull();
        url = "http://127.0.0.1:" + line.substring("LISTENING ".length()).trim();
        vertx = Vertx.vertx();
        provider = new LingoBlocksProvider(
                vertx, TestBots.options(LingoBlocksConfig.class, Map.of("chatbot-id", "any-bot")));
    }

    /** Installs the pinned socket.io under target/ unless it is there; returns why it cannot, or null. */
    private String install() throws Exception {
        if (!runs("node", "--version") || !runs("npm", "--version")) {
            return "node and npm are not both on the PATH";
        }
        Files.createDirectories(dir);
        try (InputStream script = getClass().getResourceAsStream("/lingoblocks/stock-socketio-server.js")) {
            Files.copy(script, dir.resolve("server.js"), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!installed()) {
            Files.writeString(dir.resolve("package.json"), "{\"name\":\"stock-socketio\",\"private\":true}\n");
            Process npm = new ProcessBuilder(
                            "npm",
                            "install",
                            "--no-audit",
                            "--no-fund",
                            "--save-exact",
                            "--fetch-timeout=30000",
                            SOCKET_IO)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("npm-install.log").toFile())
                    .start();
            boolean done = npm.waitFor(4, TimeUnit.MINUTES);
            if (!done) {
                npm.destroyForcibly();
            }
            if (!done || npm.exitValue() != 0 || !installed()) {
                return "npm could not install " + SOCKET_IO + " (is the npm registry reachable?): see "
                        + dir.resolve("npm-install.log");
            }
        }
        return null;
    }

    @BeforeEach
    void skipWithoutTheStockServer() {
        Assumptions.assumeTrue(skipped == null, () -> "stock socket.io server unavailable: " + skipped);
    }

    @AfterAll
    void stop() throws Exception {
        if (provider != null) {
            provider.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
        if (node != null) {
            node.destroy();
            node.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private boolean installed() throws IOException {
        Path pkg = dir.resolve("node_modules/socket.io/package.json");
        return Files.exists(pkg)
                && JSON.readTree(pkg.toFile())
                        .path("version")
                        .asText()
                        .equals(SOCKET_IO.substring(SOCKET_IO.indexOf('@') + 1));
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private ProviderCall call(String text, Conversation conversation) {
        return new ProviderCall(
                "bot",
                TestBots.bot("lingoblocks", Map.of("url", url, "chatbot-id", "any-bot")),
                "s-1",
                "m-1",
                text,
                Map.of(),
                conversation);
    }

    private static String deltaText(List<ProviderChunk> chunks) {
        StringBuilder text = new StringBuilder();
        chunks.stream()
                .filter(c -> c instanceof ProviderChunk.Delta)
                .forEach(c -> text.append(((ProviderChunk.Delta) c).text()));
        return text.toString();
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"plain", "cumulative", "object", "cumulative object"})
    void streamsEveryVariantFromAStockServer(String variant) {
        List<ProviderChunk> chunks = provider.stream(call("Question " + variant, Conversation.empty()))
                .collect()
                .asList()
                .await()
                .atMost(Duration.ofSeconds(20));

        String expected = "Stock socket.io says héllo 🚀 日本語 to Question";
        assertThat(deltaText(chunks)).isEqualTo(expected);
        assertThat(chunks.stream().filter(c -> c instanceof ProviderChunk.Delta).count())
                .as("streamed over the socket")
                .isGreaterThan(4);
        ProviderChunk.Completion completion = (ProviderChunk.Completion) chunks.get(chunks.size() - 1);
        assertThat(completion.finalText()).contains(expected);
        assertThat(completion.data().get("transports"))
                .as("upgraded to a websocket")
                .isEqualTo(List.of("websocket"));
    }

    @Test
    void aTokenTheStockServerRefusesIsRenewed() {
        Conversation expired = new Conversation(Map.of(LingoBlocksExchange.TOKEN_HANDLE, "expired"), List.of());
        List<ProviderChunk> chunks = provider.stream(call("Again", expired))
                .collect()
                .asList()
                .await()
                .atMost(Duration.ofSeconds(20));

        ProviderChunk.Handles handles = (ProviderChunk.Handles) chunks.get(0);
        assertThat(handles.handles().get(LingoBlocksExchange.TOKEN_HANDLE)).startsWith("node-");
        assertThat(chunks.get(chunks.size() - 1)).isInstanceOf(ProviderChunk.Completion.class);
    }

    @Test
    void cancelDisconnectsFromTheStockServer() {
        List<ProviderChunk> chunks = new CopyOnWriteArrayList<>();
        Cancellable subscription = provider.stream(call("Cancel me", Conversation.empty()))
                .subscribe()
                .with(chunks::add, failure -> {});
        await().atMost(Duration.ofSeconds(10))
                .until(() -> chunks.stream()
                                .filter(c -> c instanceof ProviderChunk.Delta)
                                .count()
                        >= 2);
        subscription.cancel();
        await().atMost(Duration.ofSeconds(5)).until(() -> connectedSockets() == 0);
    }

    private int connectedSockets() throws Exception {
        // HTTP/1.1: an h2c upgrade request is dropped by engine.io's upgrade handler.
        HttpResponse<String> stats = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(HttpRequest.newBuilder(URI.create(url + "/stats")).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(stats.body()).get("sockets").asInt();
    }
}
