package io.chatstream.provider.testkit;

import io.chatstream.provider.ChatProvider;
import io.chatstream.provider.Conversation;
import io.chatstream.provider.ProviderCall;
import io.chatstream.simulator.contract.ContractFixture;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A vendor's {@link ContractFixture} run as the connector's contract test runs it: Vert.x, the
 * simulator on a free port, the bot's options, a provider made with them. A vendor module's own
 * tests of its provider (called without the streamer) take it as a JUnit extension, which starts it
 * before the class's tests and stops it after:
 *
 * <pre>
 * &#64;RegisterExtension
 * static final RunningFixture&lt;AuiContractFixture&gt; aui = RunningFixture.of(new AuiContractFixture());
 * </pre>
 */
public final class RunningFixture<F extends ContractFixture> implements BeforeAllCallback, AfterAllCallback {

    private final F fixture;
    private Vertx vertx;
    private Map<String, String> botOptions;
    private ChatProvider provider;

    private RunningFixture(F fixture) {
        this.fixture = fixture;
    }

    public static <F extends ContractFixture> RunningFixture<F> of(F fixture) {
        return new RunningFixture<>(fixture);
    }

    public synchronized void start() throws Exception {
        vertx = Vertx.vertx();
        botOptions = Map.copyOf(fixture.startSimulator(vertx));
    }

    public synchronized void stop() throws Exception {
        fixture.stopSimulator();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
    }

    public F fixture() {
        return fixture;
    }

    public Vertx vertx() {
        return vertx;
    }

    /** The options of a bot that talks to the simulator (url, api-key …). */
    public Map<String, String> botOptions() {
        return botOptions;
    }

    /** The provider made with {@link #botOptions()}. */
    public synchronized ChatProvider provider() {
        if (provider == null) {
            provider = fixture.newProvider(vertx, TestBots.botOptions(botOptions));
        }
        return provider;
    }

    /** A message of a new session to the bot, with {@code extraOptions} over the simulator's. */
    public ProviderCall call(
            String text, Map<String, String> extraOptions, Map<String, Object> context, Conversation conversation) {
        Map<String, String> options = new HashMap<>(botOptions);
        options.putAll(extraOptions);
        return new ProviderCall(
                "bot",
                TestBots.bot(fixture.provider(), options),
                "s-" + UUID.randomUUID(),
                "m-" + UUID.randomUUID(),
                text,
                context,
                conversation);
    }
}
