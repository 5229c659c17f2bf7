package io.chatstream.provider.aui.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatstream.simulator.common.ScriptedAnswer;
import io.chatstream.simulator.common.SimSwitches;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The answer to one {@code {task_id, text, context}} message: progress events with the cumulative
 * text, then the final {@code ExternalTaskMessage}.
 *
 * <p>Switches: {@code tokens}, {@code pace}, {@code status=N} (error payload with status N, then
 * close 1008, or 1011 when N ≥ 500), {@code error-after=N} (the same after N tokens, status {@code
 * error-status}, default 400: an application error), {@code bare-close=CODE} (close with CODE, no
 * payload), {@code cut-after=N} (TCP dropped, no close frame), {@code stall-after=N}, {@code
 * malformed-after=N} (a text message that is not JSON), {@code split} (each message fragmented
 * into continuation frames, cut inside UTF-8 characters), {@code shape=docs|spec} (progress events
 * as the messaging docs show them, or as the AsyncAPI spec does: {@code channel.event_name} and
 * {@code scope.context}), {@code products=options|cards} (the final message's products under the
 * docs' or the spec's name), {@code rewrite} (halfway, the cumulative text is rewritten: it no
 * longer starts with what was sent, and the final text is the rewritten one), {@code final-extra}
 * (the final text goes beyond the last progress event).
 */
final class AuiExchange {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String TEXT_UPDATED = "thread-message-text-content-updated";

    private final AuiSimulator simulator;
    private final AuiSimulator.AuiConnection connection;
    private final String raw;
    private SimSwitches sw;
    private List<String> tokens;
    private String taskId;
    private final String messageId = UUID.randomUUID().toString();
    private final String interactionId = AuiSimulator.objectId();
    private final String channel = UUID.randomUUID().toString();
    private boolean split;
    private Duration pace;

    AuiExchange(AuiSimulator simulator, AuiSimulator.AuiConnection connection, String raw) {
        this.simulator = simulator;
        this.connection = connection;
        this.raw = raw;
    }

    void start() {
        JsonNode message;
        try {
            message = JSON.readTree(raw);
        } catch (Exception e) {
            message = null;
        }
        if (message == null
                || !message.path("task_id").isTextual()
                || !message.path("text").isTextual()) {
            connection.closeWithError(422, "Validation Error", "task_id and text are required");
            return;
        }
        simulator.record(message);
        taskId = message.path("task_id").asText();
        String text = message.path("text").asText();
        if (!simulator.knowsTask(taskId)) {
            connection.closeWithError(404, "Not Found", "Task " + taskId + " not found");
            return;
        }
        sw = SimSwitches.of(simulator.defaults(), text);
        split = sw.on("split");
        pace = sw.duration("pace", Duration.ZERO);
        int status = sw.integer("status", 200);
        if (status != 200) {
            connection.closeWithError(
                    status, status >= 500 ? "Internal Server Error" : describe(status), "Simulated error");
            return;
        }
        if (sw.get("bare-close").isPresent()) {
            connection.closeWith((short) sw.integer("bare-close", 1011), "");
            return;
        }
        tokens = ScriptedAnswer.tokens(SimSwitches.stripDirectives(text), sw.integer("tokens", 12));
        next(0);
    }

    private void next(int i) {
        if (connection.isClosed()) {
            return;
        }
        if (i == sw.integer("cut-after", -1)) {
            connection.cut();
            return;
        }
        if (i == sw.integer("stall-after", -1)) {
            return; // says nothing more; the socket stays open
        }
        if (i == sw.integer("error-after", -1)) {
            int status = sw.integer("error-status", 400);
            connection.closeWithError(status, describe(status), "Simulated application error");
            return;
        }
        if (i == sw.integer("malformed-after", -1)) {
            connection.send("{\"event\":\"" + TEXT_UPDATED + "\",\"data\":{\"text\":", split);
            return; // then nothing: the client must give up on its own
        }
        if (i == tokens.size()) {
            String fin = cumulative(i);
            if (sw.on("final-extra")) {
                fin = fin + " See the products below.";
            }
            connection.send(finalMessage(fin).toString(), split).onComplete(r -> connection.answered());
            return;
        }
        Future<Void> written = connection.send(progress(cumulative(i + 1)).toString(), split);
        if (pace.isZero()) {
            written.onComplete(r -> next(i + 1));
        } else {
            simulator.vertx().setTimer(pace.toMillis(), t -> next(i + 1));
        }
    }

    /** The text after {@code n} tokens; with {@code rewrite}, from halfway on its first word changes. */
    private String cumulative(int n) {
        String text = String.join("", tokens.subList(0, n));
        if (sw.on("rewrite") && n > tokens.size() / 2 && text.startsWith("You")) {
            text = "Your" + text.substring(3);
        }
        return text;
    }

    private ObjectNode progress(String text) {
        ObjectNode event = JSON.createObjectNode();
        if ("spec".equals(sw.get("shape").orElse("docs"))) {
            event.putObject("channel")
                    .put("type", "WEBSOCKET")
                    .put("channel_name", channel)
                    .put("event_name", TEXT_UPDATED);
            ObjectNode scope = event.putObject("scope").put("type", "LLM_ACTIVATION_EXECUTION");
            scope.putObject("data").put("status", "SUCCESS");
            scope.putObject("context")
                    .put("message_id", messageId)
                    .put("task_id", taskId)
                    .put("interaction_id", interactionId);
        } else {
            event.put("event", TEXT_UPDATED);
        }
        event.putObject("data").put("text", text);
        return event;
    }

    /** The ExternalTaskMessage, as the REST {@code /message} call returns it. */
    private ObjectNode finalMessage(String text) {
        ObjectNode message = JSON.createObjectNode()
                .put("id", messageId)
                .put("created_at", Instant.now().toString())
                .put("text", text);
        message.putObject("sender").put("id", "agent_sim").put("type", "agent").put("email", "agent@aui.io");
        message.putObject("receiver")
                .put("id", simulator.userOf(taskId))
                .put("type", "user")
                .putNull("email");
        ArrayNode products =
                message.putArray("cards".equals(sw.get("products").orElse("options")) ? "cards" : "options");
        products.addObject()
                .put("id", "prod-1")
                .put("title", "Built-in microwave 25 L")
                .put("price", "349.00")
                .put("url", "https://example.com/p/1");
        products.addObject()
                .put("id", "prod-2")
                .put("title", "Compact microwave 20 L — café edition")
                .put("price", "199.00")
                .put("url", "https://example.com/p/2");
        message.putArray("variants_options");
        message.putArray("followup_suggestions")
                .add("What is the price range?")
                .add("Which one has the best energy rating?");
        return message;
    }

    private static String describe(int status) {
        return switch (status) {
            case 401 -> "Not authenticated";
            case 403 -> "Forbidden";
            case 429 -> "Too Many Requests";
            default -> status >= 500 ? "Internal Server Error" : "Application error";
        };
    }
}
