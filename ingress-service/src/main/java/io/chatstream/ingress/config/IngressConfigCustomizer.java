package io.chatstream.ingress.config;

import io.chatstream.runtime.config.GatewayConfigCustomizer;
import java.util.Map;

/**
 * The ingress validates {@code gateway.ingress.*} and the shared core; its keys were directly under
 * {@code gateway.} before they had a namespace ({@code GATEWAY_API_KEYS} still sets
 * {@code gateway.ingress.api-keys}).
 */
public class IngressConfigCustomizer extends GatewayConfigCustomizer {

    public IngressConfigCustomizer() {
        super("ingress", false, Map.of("gateway.ingress.", "gateway."));
    }
}
