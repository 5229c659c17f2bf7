package io.chatstream.session.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The session-service's own keys, {@code gateway.session.*} (docs/sessions.md); the stream token is
 * the shared core ({@link io.chatstream.runtime.config.GatewayConfig}). Every service reads the same
 * ConfigMap: keys of the other services sit beside these and are theirs to validate
 * ({@link SessionConfigCustomizer}).
 */
@ConfigMapping(prefix = "gateway.session")
public interface SessionConfig {

    /**
     * How far back a session's events are kept in memory for {@code from}/{@code cursor}
     * replays, how far back the topic is re-read at start-up to refill that memory, and how
     * long a message start is remembered (a late joiner gets messages started within it).
     */
    @WithDefault("10m")
    Duration replayWindow();

    /**
     * At most this many recent events are kept in memory per session, whatever their age.
     * Older ones are read back from Kafka when a cursor or a message in progress needs them.
     */
    @WithDefault("10000")
    int replayMaxEventsPerSession();

    /**
     * The memory all sessions' replay buffers may hold together (an estimate: text plus a fixed
     * cost per event); past it the instance's oldest events are forgotten first, and come
     * from Kafka when a replay needs them. What bounds the relay's heap, however many sessions.
     */
    @WithDefault("64M")
    MemorySize replayMaxBytes();

    /**
     * Kafka readers (each a thread and a consumer) that serve replays memory cannot: cursors
     * older than memory, messages whose start memory dropped. More catch-ups wait in line.
     */
    @WithDefault("4")
    int catchUpReaders();

    /** A catch-up that has not reached memory by then is dropped; the client gets 1001. */
    @WithDefault("30s")
    Duration catchUpTimeout();

    /**
     * Frames a connection may have queued before adjacent deltas of one message start being
     * merged into one (with {@code fromSeq}): the point where a client counts as slow.
     */
    @WithDefault("256")
    int mergeAfterFrames();

    /**
     * A connection with more frames than this queued (when they cannot be merged) is closed
     * with 4001: the client resumes with its cursor.
     */
    @WithDefault("10000")
    int maxPendingFrames();

    /**
     * A connection whose queued frames (merged text included) exceed this is closed with
     * 4001: what bounds one slow client's memory.
     */
    @WithDefault("4M")
    MemorySize maxPendingBytes();

    /**
     * A connection from which nothing (not even a pong to the server's pings, see
     * {@code quarkus.websockets-next.server.auto-ping-interval}) arrived for this long is a
     * dead peer: it is closed with 1000. Keep it a few ping intervals long.
     */
    @WithDefault("2m")
    Duration idleTimeout();

    /** Open streams one instance accepts; the next is closed with 4002 (go to a replica). */
    @WithDefault("10000")
    int maxConnections();
}
