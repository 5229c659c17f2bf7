package io.chatstream.provider.aui.simulator;

import static io.chatstream.simulator.contract.ContractRun.QUESTION;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.provider.aui.AuiProvider;
import io.chatstream.simulator.contract.Answer;
import io.chatstream.simulator.contract.Check;
import io.chatstream.simulator.contract.SimulatorFixture;
import io.chatstream.simulator.contract.VendorCase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The aui provider in the connector's contract test, against {@link AuiSimulator}. */
public final class AuiContractFixture extends SimulatorFixture<AuiSimulator> {

    public AuiContractFixture() {
        super(new AuiVendorSimulator(), AuiSimulator::new, (vertx, options) -> new AuiProvider(vertx));
    }

    /** The same task id reached the vendor with both messages, and it is a task the vendor created. */
    @Override
    public List<Check> sameConversation(String firstQuestion, String firstAnswer, String secondQuestion) {
        String first = lastMessage(firstQuestion).path("task_id").asText();
        String second = lastMessage(secondQuestion).path("task_id").asText();
        return List.of(
                Check.that("the first task id is not blank", !first.isBlank()),
                Check.equal("task id of the second message", second, first),
                Check.that("a task the vendor created", simulator().tasks().containsKey(first)));
    }

    @Override
    public List<VendorCase> vendorCases() {
        return List.of(
                new VendorCase("a rewritten answer ends with a reset and the vendor's final text", run -> {
                    Answer answer = run.ask(QUESTION + " #sim:rewrite");
                    String expected = "Your" + expectedAnswer(QUESTION).substring(3);
                    return List.of(
                            Check.equal("terminal", answer.terminal().type(), MessageEvent.COMPLETED),
                            Check.that("a reset", answer.types().contains(MessageEvent.RESET)),
                            Check.equal("text", answer.terminal().text(), expected),
                            Check.equal("delta text", answer.deltaText(), expected));
                }),
                new VendorCase("a final text longer than the progress ends with the missing suffix", run -> {
                    Answer answer = run.ask(QUESTION + " #sim:final-extra #sim:split");
                    String expected = expectedAnswer(QUESTION) + " See the products below.";
                    return List.of(
                            Check.equal("terminal", answer.terminal().type(), MessageEvent.COMPLETED),
                            Check.that("no reset", !answer.types().contains(MessageEvent.RESET)),
                            Check.equal("text", answer.terminal().text(), expected),
                            Check.equal("delta text", answer.deltaText(), expected));
                }),
                new VendorCase("products, suggestions and message id are kept in the completed data", run -> {
                    List<Check> checks = new ArrayList<>();
                    for (String products : List.of("options", "cards")) {
                        Map<String, Object> data = run.ask(QUESTION + " #sim:shape=spec #sim:products=" + products)
                                .terminal(MessageEvent.Completed.class)
                                .data();
                        List<String> kept =
                                List.of("message_id", "task_id", "followup_suggestions", "sender", "created_at");
                        List<String> dropped = List.of("text", "options", "cards");
                        checks.add(Check.equal(products + ": kept", present(data, kept), kept));
                        checks.add(Check.equal(products + ": dropped", present(data, dropped), List.of()));
                        checks.add(Check.equal(products + ": products", ((List<?>) data.get("products")).size(), 2));
                        checks.add(Check.that(
                                products + ": suggestions", !((List<?>) data.get("followup_suggestions")).isEmpty()));
                    }
                    return checks;
                }));
    }

    private static List<String> present(Map<String, Object> data, List<String> keys) {
        return keys.stream().filter(data::containsKey).toList();
    }

    /** The last WebSocket message the simulator received with this text ({@code {task_id, text, context}}). */
    public JsonNode lastMessage(String text) {
        return last(simulator().receivedMessages(), m -> m.path("text").asText().equals(text));
    }
}
