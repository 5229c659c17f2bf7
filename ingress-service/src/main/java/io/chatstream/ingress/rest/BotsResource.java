package io.chatstream.ingress.rest;

import io.chatstream.runtime.config.GatewayConfig;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Comparator;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The configured bots. Public: names and providers are no secret, and a browser holding only a
 * client token must be able to list them.
 */
@Path("/v1/bots")
@Tag(name = "bots")
public class BotsResource {

    public record BotInfo(String name, String provider) {}

    private final List<BotInfo> bots;

    public BotsResource(GatewayConfig config) {
        this.bots = config.bots().entrySet().stream()
                .map(e -> new BotInfo(e.getKey(), e.getValue().provider()))
                .sorted(Comparator.comparing(BotInfo::name))
                .toList();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List the bots")
    public List<BotInfo> list() {
        return bots;
    }
}
