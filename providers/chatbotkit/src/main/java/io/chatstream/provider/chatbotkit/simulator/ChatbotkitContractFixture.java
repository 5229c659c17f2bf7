package io.chatstream.provider.chatbotkit.simulator;

import static io.chatstream.simulator.contract.ContractRun.QUESTION;

import io.chatstream.contract.event.MessageEvent;
import io.chatstream.provider.chatbotkit.ChatbotkitConfig;
import io.chatstream.provider.chatbotkit.ChatbotkitProvider;
import io.chatstream.simulator.contract.Answer;
import io.chatstream.simulator.contract.Check;
import io.chatstream.simulator.contract.ContractRun;
import io.chatstream.simulator.contract.SimulatorFixture;
import io.chatstream.simulator.contract.VendorCase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The chatbotkit provider in the connector's contract test, against {@link ChatbotkitSimulator}. */
public final class ChatbotkitContractFixture extends SimulatorFixture<ChatbotkitSimulator> {

    public ChatbotkitContractFixture() {
        super(
                new ChatbotkitVendorSimulator(),
                ChatbotkitSimulator::new,
                ChatbotkitConfig.class,
                ChatbotkitProvider::new);
    }

    /** The second message went to the first one's vendor conversation, which holds both turns. */
    @Override
    public List<Check> sameConversation(String firstQuestion, String firstAnswer, String secondQuestion) {
        List<String> turns = simulator().conversation(lastConversationOf(secondQuestion));
        return List.of(
                Check.equal(
                        "conversation of the second message",
                        lastConversationOf(secondQuestion),
                        lastConversationOf(firstQuestion)),
                Check.equal(
                        "first turns of the conversation",
                        turns.subList(0, Math.min(3, turns.size())),
                        List.of("user: " + firstQuestion, "bot: " + firstAnswer, "user: " + secondQuestion)));
    }

    @Override
    public List<VendorCase> vendorCases() {
        return List.of(
                new VendorCase("one vendor conversation per session", this::oneConversationPerSession),
                new VendorCase("the result text is the final text", run -> {
                    Answer answer = run.ask(QUESTION + " #sim:final-differs");
                    MessageEvent.Completed completed = answer.terminal(MessageEvent.Completed.class);
                    String expected = expectedAnswer(QUESTION) + ChatbotkitSimulator.FINAL_SUFFIX;
                    return List.of(
                            Check.equal("text", completed.text(), expected),
                            Check.equal("delta text", answer.deltaText(), expected),
                            Check.equal("endReason", completed.data().get("endReason"), "stop"),
                            Check.equal("usage source", completed.usage().source(), "vendor"));
                }),
                new VendorCase("an end reason other than error is kept in the completed data", run -> {
                    Map<String, Object> data = run.ask(QUESTION + " #sim:end-reason=length")
                            .terminal(MessageEvent.Completed.class)
                            .data();
                    return List.of(Check.equal("endReason", data.get("endReason"), "length"));
                }),
                new VendorCase("an older server with token auth and paths without /api is learned", this::olderServer));
    }

    private List<Check> oneConversationPerSession(ContractRun run) {
        String session = run.newSession();
        int before = simulator().conversationsCreated();
        run.ask(session, "one", Map.of());
        run.ask(session, "two", Map.of());
        run.ask(session, "three", Map.of());
        int created = simulator().conversationsCreated() - before;
        run.ask("other session");
        return List.of(
                Check.equal("conversations created by one session", created, 1),
                Check.equal("and by another", simulator().conversationsCreated() - before, 2));
    }

    private List<Check> olderServer(ContractRun run) throws Exception {
        ChatbotkitSimulator legacy =
                new ChatbotkitSimulator(run.vertx(), API_KEY, Map.of("token-auth", "true", "no-api-prefix", "true"));
        int port = await(legacy.listen(0));
        try {
            Map<String, String> options = Map.of("url", "http://127.0.0.1:" + port);
            String session = run.newSession();
            List<Check> checks = new ArrayList<>();
            checks.add(Check.equal(
                    "first answer",
                    run.ask(session, QUESTION, options).terminal().text(),
                    expectedAnswer(QUESTION)));
            int requests = legacy.requests();
            run.ask(session, QUESTION, options);
            // learned: the second message goes straight to /v1 with Token
            checks.add(Check.equal("requests of the second message", legacy.requests() - requests, 1));
            for (ChatbotkitSimulator.Received received : legacy.received()) {
                checks.add(Check.that(
                        "a /v1/conversation/ path: " + received.path(),
                        received.path().startsWith("/v1/conversation/")));
                checks.add(Check.equal("authorization", received.authorization(), "Token " + API_KEY));
            }
            return checks;
        } finally {
            await(legacy.close());
        }
    }

    private String lastConversationOf(String text) {
        return last(simulator().received(), r -> r.text().equals(text)).conversationId();
    }
}
