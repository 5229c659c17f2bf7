package io.chatstream.session.config;

import io.chatstream.runtime.config.GatewayConfigCustomizer;
import java.util.Map;

/**
 * The session-service validates {@code gateway.session.*} and the shared core; its keys were
 * {@code gateway.stream.*} before they had the service's namespace ({@code GATEWAY_STREAM_REPLAY_WINDOW}
 * still sets {@code gateway.session.replay-window}).
 */
public class SessionConfigCustomizer extends GatewayConfigCustomizer {

    public SessionConfigCustomizer() {
        super("session", false, Map.of("gateway.session.", "gateway.stream."));
    }
}
