package io.chatstream.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chatstream.connector.stream.ConnectorMetrics;
import io.chatstream.connector.stream.EventSink;
import io.chatstream.connector.stream.MessageStream;
import io.chatstream.connector.stream.MessageStreamer;
import io.chatstream.connector.stream.Outcome;
import io.chatstream.connector.stream.RetryPolicy;
import io.chatstream.contract.event.ErrorInfo;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.contract.event.Usage;
import io.chatstream.provider.BotConfig;
import io.chatstream.provider.ProviderCall;
import io.chatstream.provider.openai.simulator.OpenAiSimulator;
import io.chatstream.provider.testkit.TestBots;
import io.chatstream.simulator.common.ScriptedAnswer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The openai provider, through the generic streamer, against the wire-exact simulator. */
class OpenAiProviderTest {

    private static final String KEY = "sim-key";
    private static final String QUESTION = "How does streaming work";

    private static Vertx vertx;
    private static OpenAiSimulator simulator;
    private static OpenAiProvider provider;
    private static int port;

    private final List<MessageEvent> events = new CopyOnWriteArrayList<>();
    private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    private final EventSink sink = (name, event) -> events.add(event);
    private final MessageStreamer streamer = new MessageStreamer(
            vertx,
            sink,
            new ConnectorMetrics(new SimpleMeterRegistry()),
            new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(50)),
            new io.chatstream.connector.conversation.MapConversations(),
            new io.chatstream.connector.conversation.RecordingHistory());

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        simulator = new OpenAiSimulator(vertx, KEY, Map.of());
        port = simulator.listen(0).toCompletionStage().toCompletableFuture().get();
        provider = new OpenAiProvider(vertx, TestBots.options(OpenAiConfig.class, Map.of()));
    }

    @AfterAll
    static void stop() throws Exception {
        provider.close();
        simulator.close().toCompletionStage().toCompletableFuture().get();
        vertx.close();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", "#sim:split", "#sim:crlf", "#sim:cr", "#sim:comments", "#sim:split #sim:crlf #sim:comments"})
    void streamsTheScriptedAnswerInEveryWireVariant(String switches) {
        MessageEvent.Terminal terminal = answer(QUESTION + " " + switches, Map.of());

        assertThat(terminal.type()).isEqualTo(MessageEvent.COMPLETED);
        assertThat(terminal.text()).isEqualTo(String.join("", ScriptedAnswer.tokens(QUESTION, 12)));
        assertThat(deltas()).hasSize(12);
        assertThat(completed(terminal).usage())
                .isEqualTo(Usage.vendor(QUESTION.split(" ").length + countWords(switches), 12));
    }

    @Test
    void answersThatEndedLeaveTheirConnectionToTheNext() {
        answer(QUESTION, Map.of());
        int before = simulator.connections();

        for (int i = 0; i < 5; i++) {
            assertThat(answer(QUESTION, Map.of()).type()).isEqualTo(MessageEvent.COMPLETED);
        }

        // Kept alive after each [DONE]: closing it cost the next answer a new connection, and at
        // 100 streams that was most of the connector's wait for the vendor's first token.
        assertThat(simulator.connections() - before).isZero();
    }

    @Test
    void noUsageIsReportedAsNone() {
        assertThat(completed(answer(QUESTION + " #sim:no-usage", Map.of())).usage())
                .isEqualTo(Usage.none());
    }

    @Test
    void aWrongKeyIsAuthFailed() {
        assertFailed(answer(QUESTION, Map.of("api-key", "wrong")), "auth_failed", false);
        assertFailed(answer(QUESTION + " #sim:status=401", Map.of()), "auth_failed", false);
    }

    @Test
    void status429IsRateLimitedAfterTheRetries() {
        int before = simulator.requests();
        assertFailed(answer(QUESTION + " #sim:status=429 #sim:retry-after=0", Map.of()), "rate_limited", true);
        assertThat(simulator.requests() - before).isEqualTo(3); // the call and max-retries (2) retries
    }

    @Test
    void status500IsProviderUnavailable() {
        assertFailed(answer(QUESTION + " #sim:status=500", Map.of()), "provider_unavailable", true);
    }

    @Test
    void noServerIsProviderUnavailable() {
        assertFailed(
                answer(QUESTION, Map.of("url", "http://127.0.0.1:1", "max-retries", "0")),
                "provider_unavailable",
                true);
    }

    @Test
    void anInBandErrorIsProviderError() {
        MessageEvent.Terminal terminal = answer(QUESTION + " #sim:error-after=3", Map.of());
        assertFailed(terminal, "provider_error", false);
        assertThat(terminal.text())
                .isEqualTo(String.join("", ScriptedAnswer.tokens(QUESTION, 12).subList(0, 3)));
    }

    @Test
    void aCutConnectionIsIncomplete() {
        MessageEvent.Terminal terminal = answer(QUESTION + " #sim:cut-after=4", Map.of());
        assertFailed(terminal, "incomplete", true);
        assertThat(deltas()).hasSize(4);
    }

    @Test
    void aStalledStreamTimesOut() {
        assertFailed(
                answer(QUESTION + " #sim:stall-after=2", Map.of("idle-timeout", "300ms")), "provider_timeout", true);
        await().atMost(Duration.ofSeconds(5)).until(() -> simulator.openStreams() == 0);
    }

    @Test
    void aMalformedChunkIsProtocolError() {
        assertFailed(answer(QUESTION + " #sim:malformed-after=2", Map.of()), "protocol_error", false);
    }

    @Test
    void cancelClosesTheUpstreamConnection() {
        MessageStream stream = streamer.prepare(
                provider, "openai", call(QUESTION + " #sim:pace=50ms #sim:tokens=200", Map.of()), outcomes::add);
        stream.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> deltas().size() >= 2);
        assertThat(simulator.openStreams()).isEqualTo(1);

        stream.cancel();

        await().atMost(Duration.ofSeconds(5)).until(() -> simulator.openStreams() == 0);
        MessageEvent terminal = events.get(events.size() - 1);
        assertThat(terminal.type()).isEqualTo(MessageEvent.CANCELLED);
        assertThat(((MessageEvent.Cancelled) terminal).text()).isEqualTo(String.join("", deltas()));
    }

    @Test
    void urlWithAPathIsUsedAsIsAndABareHostGetsV1() {
        assertThat(OpenAiEndpoint.of("http://127.0.0.1:9101").path()).isEqualTo("/v1/chat/completions");
        assertThat(OpenAiEndpoint.of("https://api.openai.com/v1").path()).isEqualTo("/v1/chat/completions");
        assertThat(OpenAiEndpoint.of("https://host/compat/v1/").path()).isEqualTo("/compat/v1/chat/completions");
        assertThat(OpenAiEndpoint.of("https://api.openai.com/v1").port()).isEqualTo(443);
    }

    private MessageEvent.Terminal answer(String text, Map<String, String> options) {
        events.clear();
        outcomes.clear();
        streamer.prepare(provider, "openai", call(text, options), outcomes::add).start();
        await().atMost(Duration.ofSeconds(10)).until(() -> !outcomes.isEmpty());
        assertThat(events.get(0).type()).isEqualTo(MessageEvent.STARTED);
        assertThat(events.stream().filter(MessageEvent::isTerminal)).hasSize(1);
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).seq()).isEqualTo(i);
        }
        MessageEvent last = events.get(events.size() - 1);
        assertThat(last).isInstanceOf(MessageEvent.Terminal.class);
        MessageEvent.Terminal terminal = (MessageEvent.Terminal) last;
        assertThat(terminal.text()).isEqualTo(String.join("", deltas()));
        return terminal;
    }

    private List<String> deltas() {
        return events.stream()
                .filter(MessageEvent.Delta.class::isInstance)
                .map(e -> ((MessageEvent.Delta) e).text())
                .toList();
    }

    private static MessageEvent.Completed completed(MessageEvent.Terminal terminal) {
        assertThat(terminal.type()).isEqualTo(MessageEvent.COMPLETED);
        return (MessageEvent.Completed) terminal;
    }

    private static ProviderCall call(String text, Map<String, String> options) {
        Map<String, String> all = new HashMap<>(Map.of("url", "http://127.0.0.1:" + port, "api-key", KEY));
        all.putAll(options);
        BotConfig bot = TestBots.bot("openai", all);
        return new ProviderCall("bot", bot, "s-1", "m-" + System.nanoTime(), text, Map.of());
    }

    private static void assertFailed(MessageEvent.Terminal terminal, String code, boolean retryable) {
        assertThat(terminal.type()).isEqualTo(MessageEvent.FAILED);
        ErrorInfo error = ((MessageEvent.Failed) terminal).error();
        assertThat(error.code()).isEqualTo(code);
        assertThat(error.retryable()).isEqualTo(retryable);
    }

    private static int countWords(String text) {
        return text.isBlank() ? 0 : text.trim().split("\\s+").length;
    }
}
