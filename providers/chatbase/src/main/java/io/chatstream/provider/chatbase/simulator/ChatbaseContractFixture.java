package io.chatstream.provider.chatbase.simulator;

import static io.chatstream.simulator.contract.ContractRun.QUESTION;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.provider.chatbase.ChatbaseConfig;
import io.chatstream.provider.chatbase.ChatbaseProvider;
import io.chatstream.simulator.contract.Check;
import io.chatstream.simulator.contract.SimulatorFixture;
import io.chatstream.simulator.contract.VendorCase;
import java.util.ArrayList;
import java.util.List;

/** The chatbase provider in the connector's contract test, against {@link ChatbaseSimulator}. */
public final class ChatbaseContractFixture extends SimulatorFixture<ChatbaseSimulator> {

    public ChatbaseContractFixture() {
        super(new ChatbaseVendorSimulator(), ChatbaseSimulator::new, ChatbaseConfig.class, ChatbaseProvider::new);
    }

    /** Stateless API: the earlier turns travel with the message, under the first one's conversation id. */
    @Override
    public List<Check> sameConversation(String firstQuestion, String firstAnswer, String secondQuestion) {
        JsonNode second = lastBodyWith(secondQuestion);
        JsonNode messages = second.path("messages");
        String conversation = second.path("conversationId").asText();
        return List.of(
                Check.equal("turns of the second message", messages.size(), 3),
                Check.equal("role of turn 1", messages.path(0).path("role").asText(), "user"),
                Check.equal("turn 1", messages.path(0).path("content").asText(), firstQuestion),
                Check.equal("role of turn 2", messages.path(1).path("role").asText(), "assistant"),
                Check.equal("turn 2", messages.path(1).path("content").asText(), firstAnswer),
                Check.equal("turn 3", messages.path(2).path("content").asText(), secondQuestion),
                Check.equal(
                        "conversation id of the second message",
                        conversation,
                        lastBodyWith(firstQuestion).path("conversationId").asText()),
                Check.that("the conversation id is not blank", !conversation.isBlank()));
    }

    @Override
    public List<VendorCase> vendorCases() {
        return List.of(
                new VendorCase("the request names the chatbot both ways and streams", run -> {
                    run.ask("body check");
                    JsonNode body = lastBodyWith("body check");
                    return List.of(
                            Check.equal("chatbotId", body.path("chatbotId").asText(), "sim-chatbot"),
                            Check.equal("chatId", body.path("chatId").asText(), "sim-chatbot"),
                            Check.equal("stream", body.path("stream").asBoolean(), true));
                }),
                new VendorCase("bytes that are not UTF-8 become replacement characters", run -> {
                    List<Check> checks = new ArrayList<>();
                    for (String framing : List.of("", " #sim:sse")) {
                        MessageEvent.Terminal terminal = run.ask(QUESTION + " #sim:malformed-after=2" + framing)
                                .terminal();
                        checks.add(Check.equal("terminal [" + framing + "]", terminal.type(), MessageEvent.COMPLETED));
                        checks.add(Check.that(
                                "a replacement character [" + framing + "]",
                                terminal.text().contains("\uFFFD")));
                    }
                    return checks;
                }));
    }

    private JsonNode lastBodyWith(String question) {
        return last(simulator().receivedBodies(), b -> {
            JsonNode m = b.path("messages");
            return m.get(m.size() - 1).path("content").asText().equals(question);
        });
    }
}
