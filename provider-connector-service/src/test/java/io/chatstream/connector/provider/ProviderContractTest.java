package io.chatstream.connector.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.chatstream.contract.event.ErrorCode;
import io.chatstream.contract.event.ErrorInfo;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.contract.event.Usage;
import io.chatstream.simulator.contract.Answer;
import io.chatstream.simulator.contract.Check;
import io.chatstream.simulator.contract.ContractFixture;
import io.chatstream.simulator.contract.ContractRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The streaming contract every provider passes against its wire-exact simulator, through the real
 * streamer: ordered deltas, a completed text equal to the deltas, exactly one terminal event, usage
 * reported or marked absent, every failure switch mapped to one {@code message.failed} with a
 * stable code, cancel closing the vendor connection, and a second message continuing the vendor
 * conversation.
 *
 * <p>What it needs to know of a vendor, the vendor module says in its {@link ContractFixture}
 * (simulator-kit), registered for {@link ServiceLoader} beside its simulator: this class runs once
 * per fixture on the classpath ({@code [n] <provider>}), each time every case below and the
 * vendor's own cases. A vendor module added as a dependency of this one is tested with nothing
 * written here.
 */
@ParameterizedClass
@MethodSource("vendors")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(NamedFailures.class)
class ProviderContractTest {

    private static final String QUESTION = ContractRun.QUESTION;

    @Parameter
    ContractVendor vendor;

    /** Every fixture on the classpath, by provider name. */
    static Stream<Arguments> vendors() {
        List<ContractFixture> fixtures = new ArrayList<>();
        ServiceLoader.load(ContractFixture.class).forEach(fixtures::add);
        assertThat(fixtures).as("contract fixtures on the classpath").isNotEmpty();
        return fixtures.stream()
                .sorted(Comparator.comparing(ContractFixture::provider))
                .map(fixture -> Arguments.argumentSet(fixture.provider(), new ContractVendor(fixture)));
    }

    @BeforeParameterizedClassInvocation
    void startSimulator(ContractVendor vendor) throws Exception {
        vendor.start();
    }

    @AfterParameterizedClassInvocation
    void stopSimulator(ContractVendor vendor) throws Exception {
        vendor.stop();
    }

    Stream<String> variants() {
        return vendor.fixture().wireVariants().stream();
    }

    @ParameterizedTest(name = "variant [{0}]")
    @MethodSource("variants")
    void streamsOrderedDeltasAndOneCompletedEqualToThem(String variant) {
        Answer answer = vendor.ask(QUESTION + " " + variant);

        assertThat(answer.terminal().type()).as(answer.types().toString()).isEqualTo(MessageEvent.COMPLETED);
        assertThat(answer.deltas()).isNotEmpty();
        assertThat(answer.terminal().text())
                .isEqualTo(answer.deltaText())
                .isEqualTo(vendor.fixture().expectedAnswer(QUESTION));
        Usage usage = answer.terminal(MessageEvent.Completed.class).usage();
        assertThat(usage).isNotNull();
        assertThat(usage.source()).isIn(Usage.SOURCE_VENDOR, Usage.SOURCE_NONE);
        if (usage.source().equals(Usage.SOURCE_NONE)) {
            assertThat(usage.inputTokens()).as("no invented zeros").isNull();
        }
    }

    Stream<Arguments> failures() {
        return vendor.fixture().failureSwitches().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("failures")
    void everyFailureEndsInOneFailedWithItsCode(String switches, ErrorCode code) {
        Answer answer = vendor.ask(QUESTION + " " + switches);

        assertThat(answer.terminal().type()).as(answer.types().toString()).isEqualTo(MessageEvent.FAILED);
        ErrorInfo error = answer.terminal(MessageEvent.Failed.class).error();
        assertThat(error.code()).isEqualTo(code.code());
        assertThat(error.retryable()).isEqualTo(code.retryable());
        assertThat(error.message()).isNotBlank();
        assertThat(answer.terminal().text()).isEqualTo(answer.deltaText());
        await().atMost(Duration.ofSeconds(5)).until(() -> vendor.fixture().openStreams() == 0);
    }

    @Test
    void wrongCredentialsAreAuthFailed() {
        Answer answer =
                vendor.ask(vendor.newSession(), QUESTION, vendor.fixture().wrongCredentials());
        assertThat(answer.terminal().type()).isEqualTo(MessageEvent.FAILED);
        assertThat(answer.terminal(MessageEvent.Failed.class).error().code()).isEqualTo(ErrorCode.AUTH_FAILED.code());
    }

    @Test
    void cancelEndsWithTheTextSoFarAndClosesTheVendorConnection() {
        Answer answer = vendor.cancelAfter(2, QUESTION + " #sim:tokens=200 #sim:pace=30ms", () -> {});

        assertThat(answer.terminal().type()).isEqualTo(MessageEvent.CANCELLED);
        assertThat(answer.terminal().text()).isEqualTo(answer.deltaText()).isNotEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> vendor.fixture().openStreams() == 0);
    }

    @Test
    void aSecondMessageOfTheSessionContinuesTheVendorConversation() {
        String session = vendor.newSession();
        Answer first = vendor.ask(session, "first question", Map.of());
        assertThat(first.terminal().type()).isEqualTo(MessageEvent.COMPLETED);
        Answer second = vendor.ask(session, "second question", Map.of());
        assertThat(second.terminal().type()).isEqualTo(MessageEvent.COMPLETED);
        assertHold(vendor.fixture()
                .sameConversation("first question", first.terminal().text(), "second question"));
    }

    /** The vendor's own cases ({@link ContractFixture#vendorCases()}), each a test of its own name. */
    @TestFactory
    Stream<DynamicTest> vendorCases() {
        return vendor.fixture().vendorCases().stream()
                .map(c -> dynamicTest(c.name(), () -> assertHold(c.body().run(vendor))));
    }

    /** Asserts what a fixture observed, each check under its own name. */
    private static void assertHold(List<Check> checks) {
        assertThat(checks).as("checks").isNotEmpty();
        for (Check check : checks) {
            String what = check.what();
            if (check instanceof Check.Equal equal) {
                assertThat(equal.actual()).as(what).isEqualTo(equal.expected());
            } else if (check instanceof Check.Eventually eventually) {
                await(what).atMost(Duration.ofSeconds(5)).until(eventually.condition()::getAsBoolean);
            }
        }
    }
}
