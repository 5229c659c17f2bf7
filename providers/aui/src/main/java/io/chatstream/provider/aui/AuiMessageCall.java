package io.chatstream.provider.aui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatstream.contract.event.ErrorCode;
import io.chatstream.contract.event.Usage;
import io.chatstream.provider.ProviderCall;
import io.chatstream.provider.ProviderChunk;
import io.chatstream.provider.ProviderException;
import io.chatstream.provider.transport.HttpFailures;
import io.chatstream.provider.transport.VendorRequest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One message to AUI: the session's task (created with {@code POST …/tasks} on the first message
 * and emitted at once as a {@link ProviderChunk.Handles}, reused from the conversation after), then
 * its own WebSocket: connect, send {@code {task_id, text, context}}, turn the cumulative progress
 * texts into deltas, and end with the final message (its text wins over the deltas) or an error.
 *
 * <p>One socket per message, closed when the message ends, however it ends: the docs' progress
 * events carry no task or message id, so two messages on one socket could not be told apart, and
 * closing the socket is the only way the protocol has to stop the agent on a cancel.
 */
final class AuiMessageCall {

    /** The conversation handle: the task id follows the gateway session. */
    static final String TASK_HANDLE = "task_id";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final WebSocketClient webSockets;
    private final AuiEndpoint endpoint;
    private final ProviderCall call;
    private final String apiKey;
    private final MultiEmitter<? super ProviderChunk> emitter;
    private final CumulativeText text = new CumulativeText();

    private volatile boolean finished;
    private volatile VendorRequest taskRequest;
    private volatile WebSocket socket;
    private volatile String taskId;
    /** Whether the session said anything before it closed. */
    private volatile boolean heard;

    private AuiMessageCall(
            HttpClient http,
            WebSocketClient webSockets,
            AuiEndpoint endpoint,
            ProviderCall call,
            String apiKey,
            MultiEmitter<? super ProviderChunk> emitter) {
        this.http = http;
        this.webSockets = webSockets;
        this.endpoint = endpoint;
        this.call = call;
        this.apiKey = apiKey;
        this.emitter = emitter;
    }

    static Multi<ProviderChunk> stream(
            HttpClient http, WebSocketClient webSockets, AuiEndpoint endpoint, ProviderCall call, String apiKey) {
        return Multi.createFrom()
                .emitter(emitter -> new AuiMessageCall(http, webSockets, endpoint, call, apiKey, emitter).start());
    }

    private void start() {
        emitter.onTermination(this::close);
        Optional<String> task = call.conversation().handle(TASK_HANDLE);
        if (task.isPresent()) {
            openSession(task.get());
        } else {
            createTask();
        }
    }

    // ---- the task: one per gateway session --------------------------------------------------

    private void createTask() {
        RequestOptions options = endpoint.post(
                        endpoint.tasksPath(), call.config().connectTimeout())
                .putHeader("Accept", "application/json")
                .putHeader("x-network-api-key", apiKey);
        // The user the task is for: the gateway session (the vendor only needs it to be stable).
        Buffer body = Buffer.buffer(
                JSON.createObjectNode().put("user_id", call.sessionId()).toString());
        // Through VendorRequest like every vendor call: the task call goes out on a kept-alive
        // connection, which the vendor may close just then; it is sent once more, not failed.
        VendorRequest request = new VendorRequest(http, options, body);
        taskRequest = request;
        if (finished) {
            request.abandon();
        }
        request.send(answered -> {
            if (answered.failed()) {
                fail(unavailable(answered.cause()));
                return;
            }
            HttpClientResponse response = answered.result();
            response.body().onComplete(read -> {
                if (read.failed()) {
                    fail(unavailable(read.cause()));
                } else {
                    request.responseEnded();
                    onTask(response, read.result());
                }
            });
        });
    }

    private void onTask(HttpClientResponse response, Buffer body) {
        if (finished) {
            return;
        }
        if (response.statusCode() / 100 != 2) {
            fail(HttpFailures.of(response.statusCode(), vendorMessage(body), response.getHeader("Retry-After")));
            return;
        }
        String created;
        try {
            JsonNode id = JSON.readTree(body.getBytes()).path("id");
            created = id.isTextual() || id.isNumber() ? id.asText() : "";
        } catch (Exception e) {
            created = "";
        }
        if (created.isBlank()) {
            fail(new ProviderException(ErrorCode.PROTOCOL_ERROR, "the vendor created a task without an id"));
            return;
        }
        // Kept at once: the next message of the session continues this task even if this one fails.
        emitter.emit(new ProviderChunk.Handles(Map.of(TASK_HANDLE, created)));
        openSession(created);
    }

    // ---- the session: one WebSocket per message ----------------------------------------------

    private void openSession(String taskId) {
        this.taskId = taskId;
        long timeout = call.config().connectTimeout().toMillis();
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(endpoint.host())
                .setPort(endpoint.port())
                .setSsl(endpoint.ssl())
                .setURI(endpoint.sessionPath(apiKey))
                .setConnectTimeout(timeout)
                .setTimeout(timeout);
        webSockets.connect(options).onComplete(connected -> {
            if (connected.failed()) {
                fail(connectFailure(connected.cause()));
                return;
            }
            WebSocket ws = connected.result();
            socket = ws;
            if (finished) {
                ws.close();
                return;
            }
            ws.textMessageHandler(this::onMessage);
            ws.binaryMessageHandler(bytes -> onMessage(bytes.toString(StandardCharsets.UTF_8)));
            ws.exceptionHandler(this::onSocketError);
            ws.closeHandler(v -> onClose(ws.closeStatusCode(), ws.closeReason()));
            ws.writeTextMessage(message(taskId))
                    .onFailure(e -> fail(new ProviderException(
                            ErrorCode.PROVIDER_UNAVAILABLE, "could not send the message to the vendor", e)));
        });
    }

    private String message(String taskId) {
        ObjectNode message = JSON.createObjectNode().put("task_id", taskId).put("text", call.text());
        if (!call.context().isEmpty()) {
            message.set("context", JSON.valueToTree(call.context()));
        }
        return message.toString();
    }

    private void onMessage(String message) {
        if (finished) {
            return;
        }
        heard = true;
        AuiEvent event;
        try {
            event = AuiEventParser.parse(message);
        } catch (ProviderException e) {
            fail(e);
            return;
        }
        if (event instanceof AuiEvent.Progress progress) {
            Optional<String> delta = text.next(progress.text());
            if (delta.isPresent()) {
                emitter.emit(new ProviderChunk.Delta(delta.get()));
            } else if (!text.sent().isEmpty()) {
                // A rewrite: nothing to append, but the vendor is alive (keeps the idle timer honest).
                emitter.emit(new ProviderChunk.Delta(""));
            }
        } else if (event instanceof AuiEvent.Final fin) {
            Map<String, Object> data = new LinkedHashMap<>(fin.data());
            data.putIfAbsent(TASK_HANDLE, taskId);
            finished = true;
            emitter.emit(new ProviderChunk.Completion(Optional.of(fin.text()), data, Usage.none()));
            emitter.complete();
        } else if (event instanceof AuiEvent.Error error) {
            fail(AuiFailures.ofPayload(error));
        }
    }

    /** Frames that break the protocol (bad UTF-8, oversized …) fail at once; I/O errors end in the close. */
    private void onSocketError(Throwable e) {
        if (e instanceof io.netty.handler.codec.CorruptedFrameException
                || e instanceof io.netty.handler.codec.TooLongFrameException) {
            fail(new ProviderException(ErrorCode.PROTOCOL_ERROR, "the vendor sent a broken WebSocket frame", e));
        }
    }

    private void onClose(Short code, String reason) {
        if (!finished) {
            fail(AuiFailures.ofClose(code, reason, heard));
        }
    }

    // ---- ending ------------------------------------------------------------------------------

    private void fail(ProviderException e) {
        if (!finished) {
            finished = true;
            emitter.fail(e);
        }
    }

    /** On cancel, failure or completion: the task call is reset, the socket closed (1000). */
    private void close() {
        finished = true;
        VendorRequest request = taskRequest;
        if (request != null) {
            request.abandon();
        }
        WebSocket ws = socket;
        if (ws != null && !ws.isClosed()) {
            ws.close();
        }
    }

    private ProviderException connectFailure(Throwable cause) {
        if (cause instanceof UpgradeRejectedException rejected) {
            return HttpFailures.of(
                    rejected.getStatus(),
                    rejected.getBody() == null ? "" : vendorMessage(rejected.getBody()),
                    rejected.getHeaders() == null ? null : rejected.getHeaders().get("Retry-After"));
        }
        return unavailable(cause);
    }

    private ProviderException unavailable(Throwable cause) {
        return new ProviderException(
                ErrorCode.PROVIDER_UNAVAILABLE,
                "cannot reach the vendor at " + endpoint.host() + ":" + endpoint.port() + ": " + cause.getMessage(),
                cause);
    }

    /** The vendor's words from an error body {@code {status_code, description, message}}. */
    private static String vendorMessage(Buffer body) {
        try {
            JsonNode json = JSON.readTree(body.getBytes());
            return json != null && json.isObject() ? AuiEventParser.errorMessage(json) : "";
        } catch (Exception e) {
            return "";
        }
    }
}
