package io.chatstream.session.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The session-service's own keys under {@code gateway.}. Every service reads the same ConfigMap,
 * so keys of other services ({@code gateway.bots.*}, {@code gateway.api-keys} …) sit beside these
 * and must be ignored, not rejected.
 */
@ConfigMapping(prefix = "gateway")
public interface SessionConfig {

    StreamToken streamToken();

    Stream stream();

    interface StreamToken {

        /**
         * HMAC secret that signs stream tokens; the ingress signs with the same value. At least 16
         * characters. Required: without it no client could ever connect.
         */
        String secret();
    }

    interface Stream {

        /**
         * How far back a session's events are kept in memory for {@code from}/{@code cursor}
         * replays, and how far back the topic is re-read at start-up to refill that memory.
         */
        @WithDefault("10m")
        Duration replayWindow();

        /** At most this many recent events are kept per session, whatever their age. */
        @WithDefault("10000")
        int replayMaxEventsPerSession();

        /**
         * A connection with more frames than this handed to the socket but not yet written is a
         * slow client: it is closed with 4001 so that it cannot hold memory without bound.
         */
        @WithDefault("10000")
        int maxPendingFrames();
    }
}
