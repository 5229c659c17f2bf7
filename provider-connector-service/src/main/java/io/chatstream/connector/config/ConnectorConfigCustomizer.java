package io.chatstream.connector.config;

import io.chatstream.runtime.config.GatewayConfigCustomizer;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;

/**
 * The connector validates {@code gateway.connector.*}, the shared core and every bot option,
 * including each vendor's own (the vendor modules' mappings declare them), so a misspelt key fails
 * the start-up naming it. Its keys always had their namespace: no former names.
 */
public class ConnectorConfigCustomizer extends GatewayConfigCustomizer {

    public ConnectorConfigCustomizer() {
        super("connector", true, Map.of());
    }

    @Override
    public void configBuilder(SmallRyeConfigBuilder builder) {
        super.configBuilder(builder);
        // The stream token is the ingress's and the session-service's: one shared file sets it.
        builder.withMappingIgnore("gateway.stream-token.**");
    }
}
