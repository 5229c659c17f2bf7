package io.chatstream.simulator.contract;

import io.chatstream.contract.event.ErrorCode;
import io.chatstream.provider.ChatProvider;
import io.chatstream.simulator.HttpSimulator;
import io.chatstream.simulator.VendorSimulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * A {@link ContractFixture} for a vendor simulated by an {@link HttpSimulator}, with the data of its
 * contract in the JSON file beside the fixture class ({@link ContractData}: wire variants, failure
 * switches, wrong credentials). It starts the simulator on a free port, accepting {@link #API_KEY},
 * and gives the bot the local run's options (its {@link VendorSimulator}'s, so that the bot is
 * declared once); stops it; counts its open streams. A vendor's fixture adds what shows that a
 * conversation continued, and its own cases.
 */
public abstract class SimulatorFixture<S extends HttpSimulator> implements ContractFixture {

    /** The credential the simulator accepts. */
    protected static final String API_KEY = "sim-key";

    /** Makes the simulator: every simulator's constructor (Vert.x, the credential it accepts, default switches). */
    @FunctionalInterface
    public interface Simulators<S> {
        S create(Vertx vertx, String apiKey, Map<String, String> defaults);
    }

    /** Makes the provider bean of a bot with these options: {@link ContractFixture#newProvider}. */
    @FunctionalInterface
    public interface Providers {
        ChatProvider create(Vertx vertx, BotOptions options);
    }

    private final VendorSimulator local;
    private final Simulators<S> simulators;
    private final Providers providers;
    private final ContractData data;
    private S simulator;

    /**
     * @param local the vendor's simulator as SimulatorsMain knows it: its provider name and bot options
     */
    protected SimulatorFixture(VendorSimulator local, Simulators<S> simulators, Providers providers) {
        this.local = local;
        this.simulators = simulators;
        this.providers = providers;
        this.data = ContractData.of(getClass());
    }

    /** For a provider made from Vert.x and its own options' mapping ({@code OpenAiProvider::new}, {@code OpenAiConfig.class}). */
    protected <C> SimulatorFixture(
            VendorSimulator local,
            Simulators<S> simulators,
            Class<C> mapping,
            BiFunction<Vertx, C, ChatProvider> provider) {
        this(local, simulators, (vertx, options) -> provider.apply(vertx, options.mapping(mapping)));
    }

    /** The running simulator, for what a fixture (or the vendor's own tests) check through it. */
    public S simulator() {
        return simulator;
    }

    @Override
    public final String provider() {
        return local.provider();
    }

    @Override
    public ChatProvider newProvider(Vertx vertx, BotOptions options) {
        return providers.create(vertx, options);
    }

    @Override
    public Map<String, String> startSimulator(Vertx vertx) throws Exception {
        simulator = simulators.create(vertx, API_KEY, Map.of());
        return local.botOptions(await(simulator.listen(0)), API_KEY);
    }

    @Override
    public void stopSimulator() throws Exception {
        await(simulator.close());
    }

    @Override
    public int openStreams() {
        return simulator.openStreams();
    }

    @Override
    public List<String> wireVariants() {
        return data.wireVariants();
    }

    @Override
    public Map<String, ErrorCode> failureSwitches() {
        return new LinkedHashMap<>(data.failureSwitches());
    }

    @Override
    public Map<String, String> wrongCredentials() {
        return data.wrongCredentials().orElseGet(ContractFixture.super::wrongCredentials);
    }

    /** The last of what the simulator received ({@code receivedBodies()} …) that matches: what a check looks at. */
    protected static <T> T last(Collection<T> received, Predicate<? super T> matches) {
        return received.stream()
                .filter(matches)
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("the simulator received nothing that matches"));
    }

    /** The result of {@code future}, waited for. */
    protected static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get();
    }
}
