package io.chatstream.provider.lingoblocks.simulator;

import io.chatstream.provider.lingoblocks.LingoBlocksConfig;
import io.chatstream.provider.lingoblocks.LingoBlocksProvider;
import io.chatstream.simulator.contract.Check;
import io.chatstream.simulator.contract.SimulatorFixture;
import java.util.List;

/** The lingoblocks provider in the connector's contract test, against {@link LingoBlocksSimulator}. */
public final class LingoBlocksContractFixture extends SimulatorFixture<LingoBlocksSimulator> {

    public LingoBlocksContractFixture() {
        // LingoBlocks has no API key: the simulator knows one chatbot id, the local run's bot's.
        super(
                new LingoBlocksVendorSimulator(),
                (vertx, apiKey, defaults) ->
                        new LingoBlocksSimulator(vertx, LingoBlocksSimulator.DEFAULT_CHATBOT_ID, defaults),
                LingoBlocksConfig.class,
                LingoBlocksProvider::new);
    }

    /** One access token per gateway session: the second message reuses the first one's. */
    @Override
    public List<Check> sameConversation(String firstQuestion, String firstAnswer, String secondQuestion) {
        return List.of(Check.equal("access token of the second message", token(secondQuestion), token(firstQuestion)));
    }

    private String token(String text) {
        return last(simulator().receivedMessages(), m -> m.text().equals(text)).accessToken();
    }
}
