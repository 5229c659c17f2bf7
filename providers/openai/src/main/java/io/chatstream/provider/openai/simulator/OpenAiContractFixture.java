package io.chatstream.provider.openai.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatstream.provider.openai.OpenAiConfig;
import io.chatstream.provider.openai.OpenAiProvider;
import io.chatstream.simulator.contract.Check;
import io.chatstream.simulator.contract.SimulatorFixture;
import io.chatstream.simulator.contract.VendorCase;
import java.util.List;

/** The openai provider in the connector's contract test, against {@link OpenAiSimulator}. */
public final class OpenAiContractFixture extends SimulatorFixture<OpenAiSimulator> {

    public OpenAiContractFixture() {
        super(new OpenAiVendorSimulator(), OpenAiSimulator::new, OpenAiConfig.class, OpenAiProvider::new);
    }

    /** Stateless API: the earlier turns travel with the message. */
    @Override
    public List<Check> sameConversation(String firstQuestion, String firstAnswer, String secondQuestion) {
        JsonNode second = last(simulator().receivedBodies(), b -> b.toString().contains(secondQuestion));
        return List.of(
                Check.equal(
                        "first turn of the second message",
                        second.path("messages").path(0).path("content").asText(),
                        firstQuestion),
                Check.equal(
                        "second turn of the second message",
                        second.path("messages").path(1).path("content").asText(),
                        firstAnswer));
    }

    @Override
    public List<VendorCase> vendorCases() {
        return new OpenAiCases(simulator()).all();
    }
}
