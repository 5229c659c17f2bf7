package io.chatstream.ingress.demo;

import io.chatstream.ingress.demo.DemoSessions.DemoSession;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The demo page's stand-in for an app backend: it mints a session's client and stream tokens.
 * Reachable only while {@code gateway.ingress.demo-page.enabled} ({@link DemoPageGate}); not part of the
 * public API, so not in the OpenAPI document.
 */
@Path("/demo/sessions")
public class DemoSessionsResource {

    private final DemoSessions sessions;

    public DemoSessionsResource(DemoSessions sessions) {
        this.sessions = sessions;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public DemoSession create() {
        return sessions.create();
    }

    @POST
    @Path("/{sessionId}/tokens")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public DemoSession tokens(@PathParam("sessionId") String sessionId) {
        return sessions.refresh(sessionId);
    }
}
