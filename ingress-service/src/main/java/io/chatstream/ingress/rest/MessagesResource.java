package io.chatstream.ingress.rest;

import io.chatstream.ingress.auth.Caller;
import io.chatstream.ingress.auth.CallerAuthenticator;
import io.chatstream.ingress.auth.RateLimiter;
import io.chatstream.ingress.message.AcceptedMessage;
import io.chatstream.ingress.message.MessageAcceptor;
import io.chatstream.ingress.message.MessageRequestParser;
import io.chatstream.ingress.problem.Problem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/sessions/{sessionId}/messages")
@Tag(name = "messages")
public class MessagesResource {

    private final CallerAuthenticator authenticator;
    private final RateLimiter rateLimiter;
    private final MessageRequestParser parser;
    private final MessageAcceptor acceptor;

    public MessagesResource(
            CallerAuthenticator authenticator,
            RateLimiter rateLimiter,
            MessageRequestParser parser,
            MessageAcceptor acceptor) {
        this.authenticator = authenticator;
        this.rateLimiter = rateLimiter;
        this.parser = parser;
        this.acceptor = acceptor;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Send a user message",
            description = "Answers 202 once Kafka has the request; the answer streams on streamUrl.")
    @RequestBody(content = @Content(schema = @Schema(implementation = MessageBody.class)))
    @APIResponse(responseCode = "202", content = @Content(schema = @Schema(implementation = AcceptedMessage.class)))
    @APIResponse(responseCode = "400", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "401", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "404", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "413", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "422", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "429", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "503", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response send(
            @PathParam("sessionId") String sessionId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            byte[] body) {
        SessionIds.require(sessionId);
        Caller caller = authenticator.apiKeyOrClientToken(authorization, sessionId);
        rateLimiter.acquire(caller.owner());
        AcceptedMessage accepted = acceptor.accept(caller, sessionId, parser.parse(body), idempotencyKey);
        return Response.accepted(accepted).build();
    }

    /** The request body, for the OpenAPI document (the resource reads it by hand). */
    @Schema(name = "MessageBody")
    public record MessageBody(
            @Schema(required = true, example = "demo") String bot,
            @Schema(required = true, maxLength = 32000, example = "Hello") String text,
            @Schema(description = "Optional; passed to the vendor") java.util.Map<String, Object> context) {}
}
