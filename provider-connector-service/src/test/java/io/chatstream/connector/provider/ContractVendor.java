package io.chatstream.connector.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chatstream.connector.conversation.MapConversations;
import io.chatstream.connector.conversation.RecordingHistory;
import io.chatstream.connector.stream.ConnectorMetrics;
import io.chatstream.connector.stream.MessageStream;
import io.chatstream.connector.stream.MessageStreamer;
import io.chatstream.connector.stream.Outcome;
import io.chatstream.connector.stream.RetryPolicy;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.provider.BotConfig;
import io.chatstream.provider.ChatProvider;
import io.chatstream.provider.ProviderCall;
import io.chatstream.provider.testkit.RunningFixture;
import io.chatstream.provider.testkit.TestBots;
import io.chatstream.simulator.contract.Answer;
import io.chatstream.simulator.contract.ContractFixture;
import io.chatstream.simulator.contract.ContractRun;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One vendor under the contract: its {@link ContractFixture}, its running simulator, and messages
 * streamed to it through the connector's real streamer, with a provider per set of bot options (the
 * vendor's own options are the provider's mapping, built with the real one by {@link TestBots}).
 * The simulator is started as a vendor module's own tests start it ({@link RunningFixture}), with
 * short limits added so that stalls and retries end quickly.
 */
final class ContractVendor implements ContractRun {

    private final ContractFixture fixture;
    private final Map<Map<String, String>, ChatProvider> providers = new ConcurrentHashMap<>();
    private final MapConversations conversations = new MapConversations();
    private RunningFixture<ContractFixture> running;
    private Map<String, String> botOptions;

    ContractVendor(ContractFixture fixture) {
        this.fixture = fixture;
    }

    ContractFixture fixture() {
        return fixture;
    }

    void start() throws Exception {
        running = RunningFixture.of(fixture);
        try {
            running.start();
        } catch (Exception e) {
            throw new IllegalStateException(fixture.provider() + ": its simulator did not start", e);
        }
        botOptions = new HashMap<>(running.botOptions());
        // Short limits, so that stalls and retries end quickly.
        botOptions.putIfAbsent("first-token-timeout", "3s");
        botOptions.putIfAbsent("idle-timeout", "700ms");
        botOptions.putIfAbsent("connect-timeout", "2s");
        botOptions.putIfAbsent("max-retries", "1");
    }

    void stop() throws Exception {
        running.stop();
    }

    @Override
    public Vertx vertx() {
        return running.vertx();
    }

    @Override
    public String newSession() {
        return "s-" + UUID.randomUUID();
    }

    @Override
    public Answer ask(String sessionId, String text, Map<String, String> extraOptions) {
        List<MessageEvent> events = new CopyOnWriteArrayList<>();
        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        prepare(sessionId, text, extraOptions, events, outcomes).start();
        await().atMost(Duration.ofSeconds(20)).until(() -> !outcomes.isEmpty());
        return wellFormed(events);
    }

    @Override
    public Answer cancelAfter(int deltas, String text, Runnable whileStreaming) {
        List<MessageEvent> events = new CopyOnWriteArrayList<>();
        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        MessageStream stream = prepare(newSession(), text, Map.of(), events, outcomes);
        stream.start();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> events.stream()
                                .filter(MessageEvent.Delta.class::isInstance)
                                .count()
                        >= deltas);
        whileStreaming.run();
        stream.cancel();
        await().atMost(Duration.ofSeconds(5)).until(() -> !outcomes.isEmpty());
        return wellFormed(events);
    }

    @Override
    public String toString() {
        return fixture.provider();
    }

    private MessageStream prepare(
            String sessionId,
            String text,
            Map<String, String> extraOptions,
            List<MessageEvent> events,
            List<Outcome> outcomes) {
        Map<String, String> options = new HashMap<>(botOptions);
        options.putAll(extraOptions);
        MessageStreamer streamer = new MessageStreamer(
                vertx(),
                (name, key, event) -> events.add(event),
                new ConnectorMetrics(new SimpleMeterRegistry()),
                new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(50)),
                conversations,
                new RecordingHistory());
        BotConfig bot = TestBots.bot(fixture.provider(), options);
        ProviderCall call = new ProviderCall("bot", bot, sessionId, "m-" + UUID.randomUUID(), text, Map.of());
        return streamer.prepare(providerFor(options), fixture.provider(), call, outcomes::add);
    }

    private ChatProvider providerFor(Map<String, String> options) {
        return providers.computeIfAbsent(
                Map.copyOf(options), o -> fixture.newProvider(vertx(), TestBots.botOptions(o)));
    }

    /** started first, gapless seq, exactly one terminal and it is last, its text that of the deltas. */
    private static Answer wellFormed(List<MessageEvent> events) {
        Answer answer = new Answer(List.copyOf(events));
        assertThat(events).isNotEmpty();
        assertThat(events.get(0).type()).isEqualTo(MessageEvent.STARTED);
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).seq()).as("seq of event %d", i).isEqualTo(i);
            assertThat(events.get(i).isTerminal()).as("terminal at %d", i).isEqualTo(i == events.size() - 1);
        }
        assertThat(answer.terminal().text()).as("terminal text").isEqualTo(answer.deltaText());
        return answer;
    }
}
