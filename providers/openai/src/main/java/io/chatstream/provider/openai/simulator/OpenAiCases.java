package io.chatstream.provider.openai.simulator;

import static io.chatstream.simulator.contract.ContractRun.QUESTION;

import io.chatstream.contract.event.ErrorCode;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.contract.event.Usage;
import io.chatstream.simulator.common.ScriptedAnswer;
import io.chatstream.simulator.contract.Answer;
import io.chatstream.simulator.contract.Check;
import io.chatstream.simulator.contract.ContractRun;
import io.chatstream.simulator.contract.VendorCase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The openai provider's own cases through the connector's streamer: the exact answer, deltas and
 * usage of every wire variant, the connection kept alive between answers, the retries of a 429, and
 * each failure with its text so far.
 */
final class OpenAiCases {

    private final OpenAiSimulator simulator;

    OpenAiCases(OpenAiSimulator simulator) {
        this.simulator = simulator;
    }

    List<VendorCase> all() {
        List<VendorCase> cases = new ArrayList<>();
        for (String switches : List.of(
                "", "#sim:split", "#sim:crlf", "#sim:cr", "#sim:comments", "#sim:split #sim:crlf #sim:comments")) {
            cases.add(new VendorCase("streams the scripted answer in wire variant [" + switches + "]", run -> {
                Answer answer = run.ask(QUESTION + " " + switches);
                return List.of(
                        Check.equal("terminal", answer.terminal().type(), MessageEvent.COMPLETED),
                        Check.equal("text", answer.terminal().text(), tokens(12)),
                        Check.equal("deltas", answer.deltas().size(), 12),
                        Check.equal(
                                "usage",
                                answer.terminal(MessageEvent.Completed.class).usage(),
                                Usage.vendor(words(QUESTION) + words(switches), 12)),
                        allTheDeltas(answer));
            }));
        }
        cases.add(new VendorCase("answers that ended leave their connection to the next", this::keptAlive));
        cases.add(new VendorCase("no usage is reported as none", run -> {
            Answer answer = run.ask(QUESTION + " #sim:no-usage");
            return List.of(
                    Check.equal(
                            "usage",
                            answer.terminal(MessageEvent.Completed.class).usage(),
                            Usage.none()),
                    allTheDeltas(answer));
        }));
        cases.add(new VendorCase("a wrong key is auth failed", run -> {
            List<Check> checks = new ArrayList<>(failed(ask(run, QUESTION, "api-key", "wrong"), ErrorCode.AUTH_FAILED));
            checks.addAll(failed(run.ask(QUESTION + " #sim:status=401"), ErrorCode.AUTH_FAILED));
            return checks;
        }));
        cases.add(new VendorCase("status 429 is rate limited after the retries", run -> {
            int before = simulator.requests();
            Answer answer = ask(run, QUESTION + " #sim:status=429 #sim:retry-after=0", "max-retries", "2");
            List<Check> checks = new ArrayList<>(failed(answer, ErrorCode.RATE_LIMITED));
            checks.add(Check.equal("requests: the call and max-retries (2) retries", simulator.requests() - before, 3));
            return checks;
        }));
        cases.add(new VendorCase(
                "status 500 is provider unavailable",
                run -> failed(run.ask(QUESTION + " #sim:status=500"), ErrorCode.PROVIDER_UNAVAILABLE)));
        cases.add(new VendorCase("no server is provider unavailable", run -> {
            Answer answer =
                    run.ask(run.newSession(), QUESTION, Map.of("url", "http://127.0.0.1:1", "max-retries", "0"));
            return failed(answer, ErrorCode.PROVIDER_UNAVAILABLE);
        }));
        cases.add(new VendorCase("an in-band error is provider error", run -> {
            Answer answer = run.ask(QUESTION + " #sim:error-after=3");
            List<Check> checks = new ArrayList<>(failed(answer, ErrorCode.PROVIDER_ERROR));
            checks.add(Check.equal("text so far", answer.terminal().text(), tokens(3)));
            return checks;
        }));
        cases.add(new VendorCase("a cut connection is incomplete", run -> {
            Answer answer = run.ask(QUESTION + " #sim:cut-after=4");
            List<Check> checks = new ArrayList<>(failed(answer, ErrorCode.INCOMPLETE));
            checks.add(Check.equal("deltas", answer.deltas().size(), 4));
            return checks;
        }));
        cases.add(new VendorCase("a stalled stream times out", run -> {
            Answer answer = ask(run, QUESTION + " #sim:stall-after=2", "idle-timeout", "300ms");
            List<Check> checks = new ArrayList<>(failed(answer, ErrorCode.PROVIDER_TIMEOUT));
            checks.add(Check.eventually("no stream left open", () -> simulator.openStreams() == 0));
            return checks;
        }));
        cases.add(new VendorCase(
                "a malformed chunk is protocol error",
                run -> failed(run.ask(QUESTION + " #sim:malformed-after=2"), ErrorCode.PROTOCOL_ERROR)));
        cases.add(new VendorCase("cancel closes the upstream connection", this::cancel));
        return cases;
    }

    private List<Check> keptAlive(ContractRun run) {
        run.ask(QUESTION);
        int before = simulator.connections();
        List<Check> checks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            checks.add(Check.equal("answer " + i, run.ask(QUESTION).terminal().type(), MessageEvent.COMPLETED));
        }
        // Kept alive after each [DONE]: closing it cost the next answer a new connection, and at
        // 100 streams that was most of the connector's wait for the vendor's first token.
        checks.add(Check.equal("new connections", simulator.connections() - before, 0));
        return checks;
    }

    private List<Check> cancel(ContractRun run) {
        AtomicInteger open = new AtomicInteger(-1);
        Answer answer = run.cancelAfter(
                2, QUESTION + " #sim:pace=50ms #sim:tokens=200", () -> open.set(simulator.openStreams()));
        return List.of(
                Check.equal("streams open while streaming", open.get(), 1),
                Check.eventually("no stream left open", () -> simulator.openStreams() == 0),
                Check.equal("terminal", answer.terminal().type(), MessageEvent.CANCELLED),
                allTheDeltas(answer));
    }

    private static Answer ask(ContractRun run, String text, String option, String value) {
        return run.ask(run.newSession(), text, Map.of(option, value));
    }

    /** One message.failed with this code and its retryability, and the text of every delta. */
    private static List<Check> failed(Answer answer, ErrorCode code) {
        return List.of(
                Check.equal("terminal", answer.terminal().type(), MessageEvent.FAILED),
                Check.equal(
                        "code",
                        answer.terminal(MessageEvent.Failed.class).error().code(),
                        code.code()),
                Check.equal(
                        "retryable",
                        answer.terminal(MessageEvent.Failed.class).error().retryable(),
                        code.retryable()),
                allTheDeltas(answer));
    }

    /** The terminal text is every delta's (no reset, ever, from this vendor). */
    private static Check allTheDeltas(Answer answer) {
        String deltas = answer.deltas().stream().map(MessageEvent.Delta::text).collect(Collectors.joining());
        return Check.equal("text of all the deltas", answer.terminal().text(), deltas);
    }

    private static String tokens(int count) {
        return String.join("", ScriptedAnswer.tokens(QUESTION, 12).subList(0, count));
    }

    private static int words(String text) {
        return text.isBlank() ? 0 : text.trim().split("\\s+").length;
    }
}
