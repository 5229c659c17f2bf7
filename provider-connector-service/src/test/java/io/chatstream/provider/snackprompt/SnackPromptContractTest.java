package io.chatstream.provider.snackprompt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatstream.connector.provider.ProviderContractTest;
import io.chatstream.contract.event.ErrorCode;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.provider.ChatProvider;
import io.chatstream.provider.snackprompt.simulator.SnackPromptSimulator;
import io.chatstream.provider.testkit.TestBots;
import io.chatstream.simulator.common.ScriptedAnswer;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnackPromptContractTest extends ProviderContractTest {

    private SnackPromptSimulator simulator;

    @Override
    protected String providerName() {
        return "snackprompt";
    }

    @Override
    protected ChatProvider newProvider(Vertx vertx, Map<String, String> botOptions) {
        return new SnackPromptProvider(vertx, TestBots.options(SnackPromptConfig.class, botOptions));
    }

    @Override
    protected Map<String, String> startSimulator(Vertx vertx) throws Exception {
        simulator = new SnackPromptSimulator(vertx, "sim-key", Map.of());
        int port = simulator.listen(0).toCompletionStage().toCompletableFuture().get();
        return Map.of("url", "http://127.0.0.1:" + port, "api-key", "sim-key", "tenant-id", "sim-tenant");
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
                "",
                "#sim:split",
                "#sim:crlf",
                "#sim:cr",
                "#sim:comments",
                "#sim:sse-event",
                "#sim:multiline",
                "#sim:no-final-blank",
                "#sim:split #sim:crlf #sim:comments #sim:sse-event #sim:multiline #sim:no-final-blank",
                "#sim:split #sim:cr #sim:multiline");
    }

    @Override
    protected Map<String, ErrorCode> failureSwitches() {
        Map<String, ErrorCode> switches = super.failureSwitches();
        switches.put("#sim:status=403", ErrorCode.AUTH_FAILED);
        switches.put("#sim:status=503", ErrorCode.PROVIDER_UNAVAILABLE);
        switches.put("#sim:status=400", ErrorCode.PROVIDER_ERROR);
        switches.put("#sim:error-after=0", ErrorCode.PROVIDER_ERROR);
        switches.put("#sim:split #sim:sse-event #sim:error-after=3", ErrorCode.PROVIDER_ERROR);
        // Cut before the response headers: the vendor never answered, so it is unavailable (retried).
        switches.put("#sim:cut-after=0", ErrorCode.PROVIDER_UNAVAILABLE);
        return switches;
    }

    /**
     * SnackPrompt's API is single-query: no conversation id, nowhere to put earlier turns. What
     * continues from one message to the next is the bot's knowledge base (tenant); the second query
     * travels alone, as the vendor's API allows.
     */
    @Override
    protected void assertSameConversation(String firstQuestion, String firstAnswer, String secondQuestion) {
        JsonNode first = last(firstQuestion);
        JsonNode second = last(secondQuestion);
        assertThat(second.path("filters").path("tenant_id").asText())
                .isEqualTo(first.path("filters").path("tenant_id").asText())
                .isEqualTo("sim-tenant");
        assertThat(second.path("query").asText()).isEqualTo(secondQuestion);
        assertThat(second.fieldNames()).toIterable().containsExactlyInAnyOrder("query", "filters");
    }

    @Test
    void aBotWithoutTenantFailsClearly() {
        Answer answer = ask(session(), QUESTION, Map.of("tenant-id", ""));
        assertThat(answer.events().get(answer.events().size() - 1).type()).isEqualTo(MessageEvent.FAILED);
    }

    private JsonNode last(String query) {
        return simulator.receivedBodies().stream()
                .filter(b -> b.path("query").asText().equals(query))
                .reduce((a, b) -> b)
                .orElseThrow();
    }
}
