package io.chatstream.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatstream.connector.provider.ProviderContractTest;
import io.chatstream.provider.ChatProvider;
import io.chatstream.provider.openai.simulator.OpenAiSimulator;
import io.chatstream.provider.testkit.TestBots;
import io.chatstream.simulator.common.ScriptedAnswer;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;

class OpenAiContractTest extends ProviderContractTest {

    private OpenAiSimulator simulator;

    @Override
    protected String providerName() {
        return "openai";
    }

    @Override
    protected ChatProvider newProvider(Vertx vertx, Map<String, String> botOptions) {
        return new OpenAiProvider(vertx, TestBots.options(OpenAiConfig.class, botOptions));
    }

    @Override
    protected Map<String, String> startSimulator(Vertx vertx) throws Exception {
        simulator = new OpenAiSimulator(vertx, "sim-key", Map.of());
        int port = simulator.listen(0).toCompletionStage().toCompletableFuture().get();
        return Map.of("url", "http://127.0.0.1:" + port, "api-key", "sim-key");
    }

    @Override
    protected void stopSimulator() throws Exception {
        simulator.close().toCompletionStage().toCompletableFuture().get();
    }

    @Override
    protected int openStreams() {
        return simulator.openStreams();
    }

    @Override
    protected String expectedAnswer(String question) {
        return String.join("", ScriptedAnswer.tokens(question, 12));
    }

    @Override
    protected List<String> wireVariants() {
        return List.of(
                "", "#sim:split", "#sim:crlf", "#sim:cr", "#sim:comments", "#sim:no-usage", "#sim:split #sim:crlf");
    }

    @Override
    protected void assertSameConversation(String firstQuestion, String firstAnswer, String secondQuestion) {
        JsonNode second = simulator.receivedBodies().stream()
                .filter(b -> b.toString().contains(secondQuestion))
                .reduce((a, b) -> b)
                .orElseThrow();
        // Stateless API: the earlier turns travel with the message.
        assertThat(second.path("messages").get(0).path("content").asText()).isEqualTo(firstQuestion);
        assertThat(second.path("messages").get(1).path("content").asText()).isEqualTo(firstAnswer);
    }
}
