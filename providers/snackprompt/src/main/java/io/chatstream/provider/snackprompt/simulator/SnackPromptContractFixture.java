package io.chatstream.provider.snackprompt.simulator;

import static io.chatstream.simulator.contract.ContractRun.QUESTION;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.provider.snackprompt.SnackPromptConfig;
import io.chatstream.provider.snackprompt.SnackPromptProvider;
import io.chatstream.simulator.contract.Check;
import io.chatstream.simulator.contract.SimulatorFixture;
import io.chatstream.simulator.contract.VendorCase;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The snackprompt provider in the connector's contract test, against {@link SnackPromptSimulator}. */
public final class SnackPromptContractFixture extends SimulatorFixture<SnackPromptSimulator> {

    public SnackPromptContractFixture() {
        super(
                new SnackPromptVendorSimulator(),
                SnackPromptSimulator::new,
                SnackPromptConfig.class,
                SnackPromptProvider::new);
    }

    /**
     * SnackPrompt's API is single-query: no conversation id, nowhere to put earlier turns. What
     * continues from one message to the next is the bot's knowledge base (tenant); the second query
     * travels alone, as the vendor's API allows.
     */
    @Override
    public List<Check> sameConversation(String firstQuestion, String firstAnswer, String secondQuestion) {
        Set<String> fields = new TreeSet<>();
        JsonNode first = lastQuery(firstQuestion);
        JsonNode second = lastQuery(secondQuestion);
        second.fieldNames().forEachRemaining(fields::add);
        return List.of(
                Check.equal(
                        "tenant of the second query",
                        second.path("filters").path("tenant_id").asText(),
                        first.path("filters").path("tenant_id").asText()),
                Check.equal(
                        "tenant of the bot",
                        second.path("filters").path("tenant_id").asText(),
                        "sim-tenant"),
                Check.equal("second query", second.path("query").asText(), secondQuestion),
                Check.equal("fields of the second query", fields, new TreeSet<>(List.of("filters", "query"))));
    }

    @Override
    public List<VendorCase> vendorCases() {
        return List.of(new VendorCase("a bot without tenant fails clearly", run -> {
            MessageEvent.Terminal terminal =
                    run.ask(run.newSession(), QUESTION, Map.of("tenant-id", "")).terminal();
            return List.of(Check.equal("terminal", terminal.type(), MessageEvent.FAILED));
        }));
    }

    private JsonNode lastQuery(String query) {
        return last(simulator().receivedBodies(), b -> b.path("query").asText().equals(query));
    }
}
