package io.chatstream.ingress.rest;

import io.chatstream.contract.event.ErrorInfo;
import io.chatstream.contract.event.HistoryRecord;
import io.chatstream.contract.event.Usage;
import io.chatstream.ingress.auth.Caller;
import io.chatstream.ingress.auth.CallerAuthenticator;
import io.chatstream.ingress.auth.RateLimiter;
import io.chatstream.ingress.history.SessionMessages;
import io.chatstream.ingress.problem.Problem;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A session after its messages were sent: history, cancel, forget. */
@Path("/v1/sessions/{sessionId}")
@Tag(name = "sessions")
public class SessionsResource {

    private final CallerAuthenticator authenticator;
    private final RateLimiter rateLimiter;
    private final SessionMessages messages;

    public SessionsResource(CallerAuthenticator authenticator, RateLimiter rateLimiter, SessionMessages messages) {
        this.authenticator = authenticator;
        this.rateLimiter = rateLimiter;
        this.messages = messages;
    }

    /** One message as history keeps it. */
    public record MessageView(
            String messageId,
            String bot,
            String question,
            String status,
            String answer,
            Usage usage,
            ErrorInfo error,
            Instant acceptedAt,
            Instant endedAt) {

        static MessageView of(HistoryRecord r) {
            return new MessageView(
                    r.messageId(),
                    r.bot(),
                    r.question(),
                    r.status(),
                    r.answer(),
                    r.usage(),
                    r.error(),
                    r.acceptedAt(),
                    r.endedAt());
        }
    }

    public record SessionMessagesView(String sessionId, List<MessageView> messages) {}

    @GET
    @Path("/messages")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "The session's messages",
            description = "Questions, whole answers, outcomes and usage, oldest first: for reloads after the"
                    + " replay window. Messages still streaming have status 'pending'.")
    @APIResponse(responseCode = "200")
    @APIResponse(responseCode = "401", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "404", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public SessionMessagesView list(
            @PathParam("sessionId") String sessionId, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Caller caller = caller(sessionId, authorization, true);
        return new SessionMessagesView(
                sessionId,
                messages.list(caller, sessionId).stream().map(MessageView::of).toList());
    }

    @POST
    @Path("/messages/{messageId}/cancel")
    @Operation(
            summary = "Stop a message",
            description = "202 while pending or streaming: the message ends with message.cancelled and the text"
                    + " so far. Never a second terminal event.")
    @APIResponse(responseCode = "202")
    @APIResponse(responseCode = "404", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "409", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response cancel(
            @PathParam("sessionId") String sessionId,
            @PathParam("messageId") String messageId,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        messages.cancel(caller(sessionId, authorization, true), sessionId, messageId);
        return Response.accepted().build();
    }

    @DELETE
    @Operation(
            summary = "Forget the session",
            description = "API key only. Deletes its history, its vendor conversation handles and its owner.")
    @APIResponse(responseCode = "204")
    @APIResponse(responseCode = "404", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response forget(
            @PathParam("sessionId") String sessionId, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        messages.forget(caller(sessionId, authorization, false), sessionId);
        return Response.noContent().build();
    }

    private Caller caller(String sessionId, String authorization, boolean clientTokenAllowed) {
        SessionIds.require(sessionId);
        Caller caller = clientTokenAllowed
                ? authenticator.apiKeyOrClientToken(authorization, sessionId)
                : authenticator.apiKey(authorization);
        rateLimiter.acquire(caller.owner());
        return caller;
    }
}
