package io.chatstream.session.websocket;

import io.chatstream.session.relay.Subscriber;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Context;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One open stream: queues frames onto the connection's own event loop, so that frames handed
 * over by the Kafka reader and by the replay at connect time go out in the order given, and the
 * reader never waits for a client.
 */
final class ConnectionSubscriber implements Subscriber {

    /** Too many frames queued and unwritten: the client cannot keep up (docs/api.md). */
    static final int SLOW_CLIENT = 4001;

    private final WebSocketConnection connection;
    private final Context context;
    private final int maxPendingFrames;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();

    ConnectionSubscriber(WebSocketConnection connection, Context context, int maxPendingFrames) {
        this.connection = connection;
        this.context = context;
        this.maxPendingFrames = maxPendingFrames;
    }

    @Override
    public void deliver(String frame) {
        if (closing.get()) {
            return;
        }
        if (pending.incrementAndGet() > maxPendingFrames) {
            // Merging deltas for slow clients comes later; until then, refuse to buffer without bound.
            close(SLOW_CLIENT, "slow client");
            return;
        }
        // runOnContext queues in order even from the event loop itself, so frames never overtake.
        context.runOnContext(ignored -> connection
                .sendText(frame)
                .subscribe()
                .with(sent -> pending.decrementAndGet(), failure -> pending.decrementAndGet()));
    }

    @Override
    public void close(int code, String reason) {
        if (closing.compareAndSet(false, true)) {
            // Queued behind the frames already given, so the client gets them before the close.
            context.runOnContext(ignored ->
                    connection.close(new CloseReason(code, reason)).subscribe().with(closed -> {}, failure -> {}));
        }
    }
}
