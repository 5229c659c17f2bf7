package io.chatstream.provider.lingoblocks;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatstream.contract.event.ErrorCode;
import io.chatstream.contract.event.Usage;
import io.chatstream.provider.ProviderCall;
import io.chatstream.provider.ProviderChunk;
import io.chatstream.provider.ProviderException;
import io.chatstream.provider.transport.VendorHttpException;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import okhttp3.OkHttpClient;

/**
 * One message to LingoBlocks: the session's access token (reused from the conversation, or from
 * {@code authenticate}), a socket.io connection with it, then {@code /message}; the socket's {@code
 * chatbot.responseGenerated} events become deltas while that call runs, and its answer is the
 * completion with the authoritative final text. A token the vendor refuses (a refused socket, a
 * 401/403 on {@code /message}) is renewed once with {@code authenticate}. A socket lost before the
 * answer is {@code incomplete}.
 *
 * <p>Every signal (REST, socket, timer, cancel) is handled on one Vert.x context, in order. Over
 * 250 lines because the joining of the two channels is one state machine: split, its states would
 * be shared across classes.
 */
final class LingoBlocksExchange {

    static final String TOKEN_HANDLE = "accessToken";

    /**
     * How long the end of {@code /message} waits for the socket to catch up. The vendor answers on
     * two connections, in no guaranteed order: its last {@code responseGenerated} events may come
     * after the {@code /message} answer, and its {@code chatbot.error} after the 500 that follows
     * it. Taking whichever came first made the result depend on thread scheduling (deltas short of
     * the final text, or {@code provider_unavailable} instead of {@code provider_error}, when the
     * socket's reader was late under load). Kept below the idle timeout.
     */
    static final long SOCKET_GRACE_MILLIS = 300;

    private final Vertx vertx;
    private final Context context;
    private final ProviderCall call;
    private final LingoBlocksEndpoint endpoint;
    private final LingoBlocksRest rest;
    private final OkHttpClient http;
    private final Duration connectTimeout;
    private final MultiEmitter<? super ProviderChunk> emitter;
    private final AnswerText answer = new AnswerText();

    private boolean finished;
    private LingoBlocksSocket socket;
    private LingoBlocksRest.PendingMessage message;
    private long connectTimer = -1;
    /** A /message 5xx held for {@link #SOCKET_GRACE_MILLIS}: it ends the message unless the socket's error comes first. */
    private boolean failureHeld;
    /** The /message answer, held for {@link #SOCKET_GRACE_MILLIS} until the streamed text reaches it. */
    private LingoBlocksRest.Answer heldAnswer;

    LingoBlocksExchange(
            Vertx vertx,
            ProviderCall call,
            LingoBlocksEndpoint endpoint,
            LingoBlocksRest rest,
            OkHttpClient http,
            MultiEmitter<? super ProviderChunk> emitter) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.call = call;
        this.endpoint = endpoint;
        this.rest = rest;
        this.http = http;
        this.connectTimeout = call.config().connectTimeout();
        this.emitter = emitter;
    }

    void start() {
        emitter.onTermination(() -> onContext(this::close));
        onContext(() -> {
            Optional<String> token = call.conversation().handle(TOKEN_HANDLE);
            if (token.isPresent()) {
                connect(token.get(), true);
            } else {
                authenticate(Optional.empty());
            }
        });
    }

    /** A token from {@code authenticate}: the one sent back when still valid, else a new one, kept at once. */
    private void authenticate(Optional<String> previous) {
        rest.authenticate(previous)
                .onComplete(done -> onContext(() -> {
                    if (finished) {
                        return;
                    }
                    if (done.failed()) {
                        fail(done.cause());
                        return;
                    }
                    String token = done.result();
                    if (!previous.equals(Optional.of(token))) {
                        emitter.emit(new ProviderChunk.Handles(Map.of(TOKEN_HANDLE, token)));
                    }
                    connect(token, false);
                }));
    }

    /** Connects the socket first, so that no event of the answer is missed, then sends the text. */
    private void connect(String token, boolean reused) {
        connectTimer = vertx.setTimer(
                Math.max(1, connectTimeout.toMillis()),
                t -> onContext(() -> fail(new ProviderException(
                        ErrorCode.PROVIDER_UNAVAILABLE,
                        "no socket.io connection to LingoBlocks within " + connectTimeout.toMillis() + " ms"))));
        socket = LingoBlocksSocket.open(http, endpoint, token, new LingoBlocksSocket.Events() {
            @Override
            public void connected() {
                onContext(() -> {
                    if (!finished) {
                        vertx.cancelTimer(connectTimer);
                        send(token, reused);
                    }
                });
            }

            @Override
            public void refused(String reason) {
                onContext(() -> refusedToken(token, reused, "the socket.io connection was refused: " + reason));
            }

            @Override
            public void failed(ProviderException failure) {
                onContext(() -> fail(failure));
            }

            @Override
            public void event(String name, JsonNode payload) {
                onContext(() -> onEvent(name, payload));
            }

            @Override
            public void disconnected(String reason) {
                onContext(() -> fail(new ProviderException(
                        ErrorCode.INCOMPLETE,
                        "the LingoBlocks socket closed before the answer ended (" + reason + ")")));
            }
        });
    }

    private void send(String token, boolean reused) {
        message = rest.message(call.text(), token);
        message.answer()
                .onComplete(done -> onContext(() -> {
                    if (finished) {
                        return;
                    }
                    if (done.failed()) {
                        if (done.cause() instanceof ProviderException e && e.code() == ErrorCode.AUTH_FAILED) {
                            refusedToken(token, reused, e.getMessage());
                        } else if (done.cause() instanceof VendorHttpException e && e.status() >= 500) {
                            failureHeld = true;
                            vertx.setTimer(SOCKET_GRACE_MILLIS, t -> onContext(() -> end(e)));
                        } else {
                            fail(done.cause());
                        }
                        return;
                    }
                    LingoBlocksRest.Answer whole = done.result();
                    if (socketBehind(whole)) {
                        heldAnswer = whole;
                        vertx.setTimer(SOCKET_GRACE_MILLIS, t -> onContext(() -> complete(whole)));
                    } else {
                        complete(whole);
                    }
                }));
    }

    /** Whether the socket streamed part of the answer and its rest may still be on the way. */
    private boolean socketBehind(LingoBlocksRest.Answer whole) {
        String streamed = answer.text();
        return !streamed.isEmpty()
                && whole.response()
                        .filter(text -> text.length() > streamed.length() && text.startsWith(streamed))
                        .isPresent();
    }

    private void complete(LingoBlocksRest.Answer whole) {
        if (finished) {
            return;
        }
        finished = true;
        emitter.emit(new ProviderChunk.Completion(whole.response(), whole.metadata(), Usage.none()));
        emitter.complete();
    }

    private void onEvent(String name, JsonNode payload) {
        if (finished) {
            return;
        }
        SocketSignal signal = SocketSignal.of(name, payload);
        if (signal instanceof SocketSignal.Text text) {
            answer.next(text.text()).ifPresent(delta -> emitter.emit(new ProviderChunk.Delta(delta)));
            if (heldAnswer != null && !socketBehind(heldAnswer)) {
                complete(heldAnswer);
            }
        } else if (signal instanceof SocketSignal.Failure failure) {
            end(new ProviderException(ErrorCode.PROVIDER_ERROR, "LingoBlocks reported an error: " + failure.message()));
        }
    }

    /** A reused token may have expired: renew it once; a fresh one refused is {@code auth_failed}. */
    private void refusedToken(String token, boolean reused, String reason) {
        if (finished) {
            return;
        }
        if (!reused) {
            fail(new ProviderException(ErrorCode.AUTH_FAILED, "LingoBlocks refused the access token: " + reason));
            return;
        }
        vertx.cancelTimer(connectTimer);
        closeUpstream();
        authenticate(Optional.of(token));
    }

    /** A failure, unless the answer or a more precise failure is already held. */
    private void fail(Throwable failure) {
        if (heldAnswer != null) {
            complete(heldAnswer);
        } else if (!failureHeld) {
            end(failure);
        }
    }

    private void end(Throwable failure) {
        if (finished) {
            return;
        }
        finished = true;
        closeUpstream();
        emitter.fail(failure);
    }

    private void close() {
        finished = true;
        closeUpstream();
    }

    private void closeUpstream() {
        vertx.cancelTimer(connectTimer);
        if (socket != null) {
            socket.close();
            socket = null;
        }
        if (message != null) {
            message.cancel();
            message = null;
        }
    }

    private void onContext(Runnable action) {
        if (Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }
}
