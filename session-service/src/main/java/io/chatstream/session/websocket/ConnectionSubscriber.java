package io.chatstream.session.websocket;

import io.chatstream.contract.stream.CloseCodes;
import io.chatstream.session.metrics.SessionMetrics;
import io.chatstream.session.relay.RelayedEvent;
import io.chatstream.session.relay.Subscriber;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One open stream. Relay threads only put events in the connection's {@link OutboundQueue} (never
 * waiting for the client); the connection's event loop takes them out as the socket accepts
 * them, a few frames in flight at a time, so that a client that stops reading leaves its frames
 * in the queue (where they merge) rather than in unbounded socket buffers.
 */
final class ConnectionSubscriber implements Subscriber {

    /** Frames handed to the socket and not yet written: enough to keep a fast client's pipe full. */
    private static final int IN_FLIGHT = 16;

    private final WebSocketConnection connection;
    private final Context context;
    private final OutboundQueue queue;
    private final SessionMetrics metrics;
    // Events recorded before the stream opened are replays: their age is not delivery lag.
    private final long openedAtMillis = System.currentTimeMillis();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();
    // Event loop only: whether drain() is on the stack (a send may complete synchronously).
    private boolean draining;
    private volatile long lastHeardNanos = System.nanoTime();

    ConnectionSubscriber(WebSocketConnection connection, Context context, OutboundQueue queue, SessionMetrics metrics) {
        this.connection = connection;
        this.context = context;
        this.queue = queue;
        this.metrics = metrics;
    }

    @Override
    public void deliver(RelayedEvent event) {
        if (closing.get()) {
            return;
        }
        if (!queue.offer(event)) {
            if (closing.compareAndSet(false, true)) {
                // Counted before the close leaves: a client that got 4001 finds it counted.
                metrics.slowClientClosed();
                closeNow(CloseCodes.SLOW_CLIENT, "slow client");
            }
            return;
        }
        if (drainScheduled.compareAndSet(false, true)) {
            context.runOnContext(ignored -> drain());
        }
    }

    @Override
    public void close(int code, String reason) {
        if (closing.compareAndSet(false, true)) {
            closeNow(code, reason);
        }
    }

    private void closeNow(int code, String reason) {
        // What is still queued is dropped: the client resumes from the last cursor it got.
        queue.clear();
        context.runOnContext(ignored ->
                connection.close(new CloseReason(code, reason)).subscribe().with(closed -> {}, failure -> {}));
    }

    /** The client sent something (a pong counts): it is alive. */
    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    long silentNanos() {
        return System.nanoTime() - lastHeardNanos;
    }

    boolean closing() {
        return closing.get();
    }

    OutboundQueue.Stats stats() {
        return queue.stats();
    }

    // On the event loop only.
    private void drain() {
        drainScheduled.set(false);
        if (draining) {
            // A send completed synchronously inside the loop below: the loop goes on by itself.
            return;
        }
        draining = true;
        try {
            while (!closing.get() && inFlight.get() < IN_FLIGHT) {
                Outbound entry = queue.poll();
                if (entry == null) {
                    return;
                }
                inFlight.incrementAndGet();
                String frame = entry.frame();
                // Measured as the socket takes the frame (not when it was queued): a slow
                // client's wait in its queue is part of the lag it sees.
                long recordTime = entry.recordTimeMillis();
                metrics.delivered(entry.type(), recordTime, recordTime >= openedAtMillis);
                connection.sendText(frame).subscribe().with(sent -> written(), failure -> failed());
            }
        } finally {
            draining = false;
        }
    }

    private void written() {
        inFlight.decrementAndGet();
        if (context.equals(Vertx.currentContext())) {
            drain();
        } else {
            context.runOnContext(ignored -> drain());
        }
    }

    /** The socket is gone (the client dropped): stop sending; its close unsubscribes it. */
    private void failed() {
        inFlight.decrementAndGet();
        if (closing.compareAndSet(false, true)) {
            queue.clear();
        }
    }
}
