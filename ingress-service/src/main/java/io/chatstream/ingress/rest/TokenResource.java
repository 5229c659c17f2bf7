package io.chatstream.ingress.rest;

import io.chatstream.ingress.auth.Caller;
import io.chatstream.ingress.auth.CallerAuthenticator;
import io.chatstream.ingress.auth.RateLimiter;
import io.chatstream.ingress.problem.Problem;
import io.chatstream.ingress.session.SessionOwners;
import io.chatstream.ingress.session.StreamLinks;
import io.chatstream.ingress.store.Database;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/sessions/{sessionId}/token")
@Tag(name = "sessions")
public class TokenResource {

    private final CallerAuthenticator authenticator;
    private final RateLimiter rateLimiter;
    private final Database database;
    private final StreamLinks links;

    public TokenResource(
            CallerAuthenticator authenticator, RateLimiter rateLimiter, Database database, StreamLinks links) {
        this.authenticator = authenticator;
        this.rateLimiter = rateLimiter;
        this.database = database;
        this.links = links;
    }

    /** What a backend hands to a browser: it never needs the API key. */
    public record SessionTokens(String streamToken, String streamUrl, String clientToken) {}

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Mint a session's tokens for a browser",
            description = "API key only. The client token is accepted as Bearer on this session's messages and"
                    + " cancel calls, and nowhere else.")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "401", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "404", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "503", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public SessionTokens mint(
            @PathParam("sessionId") String sessionId, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        SessionIds.require(sessionId);
        Caller caller = authenticator.apiKey(authorization);
        rateLimiter.acquire(caller.owner());
        String streamKey = database.inTransaction(c -> SessionOwners.claimOrCheck(c, sessionId, caller.owner()))
                .streamKey();
        String streamToken = links.streamToken(sessionId, caller.owner(), streamKey);
        return new SessionTokens(
                streamToken,
                links.streamUrl(sessionId, streamToken, null),
                links.clientToken(sessionId, caller.owner()));
    }
}
