package io.chatstream.simulator.contract;

import io.chatstream.contract.event.ErrorCode;
import io.chatstream.provider.ChatProvider;
import io.chatstream.simulator.common.ScriptedAnswer;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the provider contract test needs to know of one vendor, said by the vendor module itself:
 * each implements it once, next to its simulator, and registers it in {@code
 * META-INF/services/io.chatstream.simulator.contract.ContractFixture}. The connector's one {@code
 * ProviderContractTest} finds every fixture on its classpath by {@link java.util.ServiceLoader} and
 * runs every contract case (and the vendor's own {@link #vendorCases()}) for each, so a vendor is
 * tested by the connector's one dependency line on its module, with nothing written in the
 * connector.
 *
 * <p>Why the main jar, and why this module. The contract runs through the connector's real streamer,
 * so it can only run in the connector's tests, and the connector sees of a vendor module what that
 * one dependency line brings: its main jar. A fixture in a test-jar would take a second line per
 * vendor (or build plumbing that adds every vendor's test-jar by pattern); in the main jar it ships
 * beside the simulator, which ships already (SimulatorsMain runs from the connector's classpath),
 * and the ServiceLoader registration is the one {@code VendorSimulator} has. Main code may only see
 * compile-scope modules: simulator-kit is one for every vendor module, provider-testkit is test
 * scope (making it compile scope would ship TestBots and its Quarkus converter with every vendor).
 * For the same reason a fixture uses no test library: it builds its provider's own options through
 * {@link BotOptions} (which the contract test backs with the real mapping), and it states what it
 * observed as {@link Check}s, which the contract test asserts under the vendor's and the case's name.
 *
 * <p>An instance serves one run: {@link #startSimulator} once, the cases, then {@link
 * #stopSimulator}. Failure switches and wire variants are {@code #sim:…} directives in the message
 * text, understood by every simulator ({@code SimSwitches}). {@link SimulatorFixture} is the usual
 * base: the simulator's part for an {@code HttpSimulator}, and the data of the contract (wire
 * variants, failure switches, wrong credentials) read from a JSON file beside the fixture.
 */
public interface ContractFixture {

    /** The provider name, as in {@code gateway.bots.<bot>.provider}. */
    String provider();

    /** The provider bean of a bot with these options ({@code options.mapping(XConfig.class)}: its own mapping). */
    ChatProvider newProvider(Vertx vertx, BotOptions options);

    /** Starts the simulator on a free port; returns the bot's options (url, api-key, chatbot-id …). */
    Map<String, String> startSimulator(Vertx vertx) throws Exception;

    void stopSimulator() throws Exception;

    /** Vendor connections the simulator holds open now: back to 0 after a cancel or a failure. */
    int openStreams();

    /**
     * The answer the simulator gives to {@code question} (directives removed) with default switches:
     * by default the scripted answer of the simulators' default 12 tokens.
     */
    default String expectedAnswer(String question) {
        return String.join("", ScriptedAnswer.tokens(question, 12));
    }

    /** The switch sets of every wire variant the vendor may send; "" is the plain one. */
    List<String> wireVariants();

    /** Failure switches and the code each must end with: by default {@link #commonFailureSwitches()}. */
    default Map<String, ErrorCode> failureSwitches() {
        return commonFailureSwitches();
    }

    /** Bot options with credentials the vendor refuses. */
    default Map<String, String> wrongCredentials() {
        return Map.of("api-key", "wrong-key");
    }

    /**
     * What shows, through the simulator, that the second message reached the vendor as the same
     * conversation as the first (same conversation id, access token, task id, or earlier turns).
     */
    List<Check> sameConversation(String firstQuestion, String firstAnswer, String secondQuestion);

    /** The vendor's own cases through the streamer, run beside the contract's; none by default. */
    default List<VendorCase> vendorCases() {
        return List.of();
    }

    /** The failure switches every simulator has, with their codes: a new map, for a vendor to add its own to. */
    static Map<String, ErrorCode> commonFailureSwitches() {
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
}
