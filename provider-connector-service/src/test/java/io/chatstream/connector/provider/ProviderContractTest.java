package io.chatstream.connector.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chatstream.connector.conversation.MapConversations;
import io.chatstream.connector.stream.ConnectorMetrics;
import io.chatstream.connector.stream.MessageStream;
import io.chatstream.connector.stream.MessageStreamer;
import io.chatstream.connector.stream.Outcome;
import io.chatstream.connector.stream.RetryPolicy;
import io.chatstream.contract.event.ErrorCode;
import io.chatstream.contract.event.ErrorInfo;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.contract.event.Usage;
import io.chatstream.provider.BotConfig;
import io.chatstream.provider.ChatProvider;
import io.chatstream.provider.ProviderCall;
import io.chatstream.provider.testkit.TestBots;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The streaming contract every provider passes against its wire-exact simulator, through the real
 * streamer: ordered deltas, a completed text equal to the deltas, exactly one terminal event, usage
 * reported or marked absent, every failure switch mapped to one {@code message.failed} with a
 * stable code, cancel closing the vendor connection, and a second message continuing the vendor
 * conversation. A provider's test extends this class and says how to start its simulator.
 *
 * <p>Failure switches are {@code #sim:…} directives in the message text, understood by every
 * simulator (vendor-simulators, {@code SimSwitches}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ProviderContractTest {

    protected static final String QUESTION = "How does streaming work";

    protected Vertx vertx;
    /** The provider made with the simulator's bot options. */
    protected ChatProvider provider;

    private Map<String, String> botOptions;
    /** A provider per set of bot options: the vendor's own options are the provider's mapping. */
    private final Map<Map<String, String>, ChatProvider> providers = new java.util.concurrent.ConcurrentHashMap<>();

    private final MapConversations conversations = new MapConversations();

    /** The provider name, as in {@code gateway.bots.<bot>.provider}. */
    protected abstract String providerName();

    /** A provider whose own mapping ({@code TestBots.options}) holds these options for the bot {@code bot}. */
    protected abstract ChatProvider newProvider(Vertx vertx, Map<String, String> botOptions);

    /** Starts the simulator on a free port; returns the bot's options (url, api-key, chatbot-id …). */
    protected abstract Map<String, String> startSimulator(Vertx vertx) throws Exception;

    protected abstract void stopSimulator() throws Exception;

    /** Vendor connections the simulator holds open now: back to 0 after a cancel or a failure. */
    protected abstract int openStreams();

    /** The answer the simulator gives to {@code question} (directives removed) with default switches. */
    protected abstract String expectedAnswer(String question);

    /** The switch sets of every wire variant the vendor may send (NOTES.md); "" is the plain one. */
    protected abstract List<String> wireVariants();

    /**
     * Checks, through the simulator, that the second message reached the vendor as the same
     * conversation as the first (same conversation id, access token, task id, or earlier turns).
     */
    protected abstract void assertSameConversation(String firstQuestion, String firstAnswer, String secondQuestion);

    /** Bot options with credentials the vendor refuses. */
    protected Map<String, String> wrongCredentials() {
        return Map.of("api-key", "wrong-key");
    }

    /** Failure switches and the code each must end with; override to add the vendor's own. */
    protected Map<String, ErrorCode> failureSwitches() {
        Map<String, ErrorCode> switches = new LinkedHashMap<>();
        switches.put("#sim:status=401", ErrorCode.AUTH_FAILED);
        switches.put("#sim:status=429 #sim:retry-after=0", ErrorCode.RATE_LIMITED);
        switches.put("#sim:status=500", ErrorCode.PROVIDER_UNAVAILABLE);
        switches.put("#sim:error-after=2", ErrorCode.PROVIDER_ERROR);
        switches.put("#sim:cut-after=2", ErrorCode.INCOMPLETE);
        switches.put("#sim:stall-after=2", ErrorCode.PROVIDER_TIMEOUT);
        switches.put("#sim:malformed-after=2", ErrorCode.PROTOCOL_ERROR);
        return switches;
    }

    @BeforeAll
    void startAll() throws Exception {
        vertx = Vertx.vertx();
        botOptions = new HashMap<>(startSimulator(vertx));
        // Short limits, so that stalls and retries end quickly.
        botOptions.putIfAbsent("first-token-timeout", "3s");
        botOptions.putIfAbsent("idle-timeout", "700ms");
        botOptions.putIfAbsent("connect-timeout", "2s");
        botOptions.putIfAbsent("max-retries", "1");
        provider = providerFor(botOptions);
    }

    @AfterAll
    void stopAll() throws Exception {
        stopSimulator();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    Stream<String> variants() {
        return wireVariants().stream();
    }

    @ParameterizedTest(name = "variant [{0}]")
    @MethodSource("variants")
    void streamsOrderedDeltasAndOneCompletedEqualToThem(String variant) {
        Answer answer = ask(session(), QUESTION + " " + variant, Map.of());

        assertThat(answer.terminal().type()).as(answer.types().toString()).isEqualTo(MessageEvent.COMPLETED);
        assertThat(answer.deltas()).isNotEmpty();
        assertThat(answer.terminal().text()).isEqualTo(answer.deltaText()).isEqualTo(expectedAnswer(QUESTION));
        Usage usage = answer.terminal(MessageEvent.Completed.class).usage();
        assertThat(usage).isNotNull();
        assertThat(usage.source()).isIn(Usage.SOURCE_VENDOR, Usage.SOURCE_NONE);
        if (usage.source().equals(Usage.SOURCE_NONE)) {
            assertThat(usage.inputTokens()).as("no invented zeros").isNull();
        }
    }

    Stream<Arguments> failures() {
        return failureSwitches().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("failures")
    void everyFailureEndsInOneFailedWithItsCode(String switches, ErrorCode code) {
        Answer answer = ask(session(), QUESTION + " " + switches, Map.of());

        assertThat(answer.terminal().type()).as(answer.types().toString()).isEqualTo(MessageEvent.FAILED);
        ErrorInfo error = answer.terminal(MessageEvent.Failed.class).error();
        assertThat(error.code()).isEqualTo(code.code());
        assertThat(error.retryable()).isEqualTo(code.retryable());
        assertThat(error.message()).isNotBlank();
        assertThat(answer.terminal().text()).isEqualTo(answer.deltaText());
        await().atMost(Duration.ofSeconds(5)).until(() -> openStreams() == 0);
    }

    @Test
    void wrongCredentialsAreAuthFailed() {
        Answer answer = ask(session(), QUESTION, wrongCredentials());
        assertThat(answer.terminal().type()).isEqualTo(MessageEvent.FAILED);
        assertThat(answer.terminal(MessageEvent.Failed.class).error().code()).isEqualTo(ErrorCode.AUTH_FAILED.code());
    }

    @Test
    void cancelEndsWithTheTextSoFarAndClosesTheVendorConnection() {
        List<MessageEvent> events = new CopyOnWriteArrayList<>();
        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        MessageStream stream = streamer(events)
                .prepare(
                        provider,
                        providerName(),
                        call(session(), QUESTION + " #sim:tokens=200 #sim:pace=30ms", Map.of()),
                        outcomes::add);
        stream.start();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> events.stream()
                                .filter(MessageEvent.Delta.class::isInstance)
                                .count()
                        >= 2);
        stream.cancel();
        await().atMost(Duration.ofSeconds(5)).until(() -> !outcomes.isEmpty());
        Answer answer = new Answer(events);
        assertThat(answer.terminal().type()).isEqualTo(MessageEvent.CANCELLED);
        assertThat(answer.terminal().text()).isEqualTo(answer.deltaText()).isNotEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> openStreams() == 0);
    }

    @Test
    void aSecondMessageOfTheSessionContinuesTheVendorConversation() {
        String session = session();
        Answer first = ask(session, "first question", Map.of());
        assertThat(first.terminal().type()).isEqualTo(MessageEvent.COMPLETED);
        Answer second = ask(session, "second question", Map.of());
        assertThat(second.terminal().type()).isEqualTo(MessageEvent.COMPLETED);
        assertSameConversation("first question", first.terminal().text(), "second question");
    }

    /** Streams one message through the real streamer and returns its events once it has ended. */
    protected Answer ask(String sessionId, String text, Map<String, String> extraOptions) {
        List<MessageEvent> events = new CopyOnWriteArrayList<>();
        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        streamer(events)
                .prepare(
                        providerFor(options(extraOptions)),
                        providerName(),
                        call(sessionId, text, extraOptions),
                        outcomes::add)
                .start();
        await().atMost(Duration.ofSeconds(20)).until(() -> !outcomes.isEmpty());
        Answer answer = new Answer(events);
        answer.assertWellFormed();
        return answer;
    }

    /** The provider for a call with these bot options (the simulator's, plus a test's extra ones). */
    protected ChatProvider providerFor(Map<String, String> options) {
        return providers.computeIfAbsent(Map.copyOf(options), o -> newProvider(vertx, o));
    }

    private MessageStreamer streamer(List<MessageEvent> events) {
        return new MessageStreamer(
                vertx,
                (name, event) -> events.add(event),
                new ConnectorMetrics(new SimpleMeterRegistry()),
                new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(50)),
                conversations,
                new io.chatstream.connector.conversation.RecordingHistory());
    }

    private Map<String, String> options(Map<String, String> extraOptions) {
        Map<String, String> options = new HashMap<>(botOptions);
        options.putAll(extraOptions);
        return options;
    }

    private ProviderCall call(String sessionId, String text, Map<String, String> extraOptions) {
        BotConfig bot = TestBots.bot(providerName(), options(extraOptions));
        return new ProviderCall("bot", bot, sessionId, "m-" + UUID.randomUUID(), text, Map.of());
    }

    protected static String session() {
        return "s-" + UUID.randomUUID();
    }

    /** The events of one message. */
    protected record Answer(List<MessageEvent> events) {

        /** The last event, which ends the message. */
        public MessageEvent.Terminal terminal() {
            return terminal(MessageEvent.Terminal.class);
        }

        /** The last event, which must be of {@code kind}. */
        public <T extends MessageEvent> T terminal(Class<T> kind) {
            MessageEvent last = events.get(events.size() - 1);
            assertThat(last).as(types().toString()).isInstanceOf(kind);
            return kind.cast(last);
        }

        public List<String> types() {
            return events.stream().map(MessageEvent::type).toList();
        }

        List<MessageEvent.Delta> deltas() {
            return events.stream()
                    .filter(MessageEvent.Delta.class::isInstance)
                    .map(MessageEvent.Delta.class::cast)
                    .toList();
        }

        /** The deltas after the last reset: what completed.text must equal. */
        public String deltaText() {
            return MessageEvent.textSinceLastReset(events);
        }

        /** started first, gapless seq, exactly one terminal and it is last. */
        void assertWellFormed() {
            assertThat(events).isNotEmpty();
            assertThat(events.get(0).type()).isEqualTo(MessageEvent.STARTED);
            for (int i = 0; i < events.size(); i++) {
                assertThat(events.get(i).seq()).as("seq of event %d", i).isEqualTo(i);
                assertThat(events.get(i).isTerminal()).as("terminal at %d", i).isEqualTo(i == events.size() - 1);
            }
        }
    }
}
