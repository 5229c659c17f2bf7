package io.chatstream.ingress.problem;

import jakarta.inject.Singleton;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error the REST API returns is {@code application/problem+json}, including the framework's own. */
@Singleton
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        Response.ResponseBuilder response =
                Response.status(e.problem().status()).type(Problem.MEDIA_TYPE).entity(e.problem());
        e.headers().forEach(response::header);
        return response.build();
    }

    /** The framework's answers (unknown path, wrong method, wrong media type …) in the same shape. */
    @ServerExceptionMapper
    public Response framework(WebApplicationException e) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        return Response.status(status.getStatusCode())
                .type(Problem.MEDIA_TYPE)
                .entity(Problem.of(
                        status.getStatusCode(),
                        status.getReasonPhrase(),
                        "http_" + status.getStatusCode(),
                        e.getMessage()))
                .build();
    }

    /** A bug of ours: logged with its stack, answered without one. */
    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("unexpected error", e);
        return Response.status(500)
                .type(Problem.MEDIA_TYPE)
                .entity(Problem.of(500, "Internal Server Error", "internal", "An unexpected error occurred."))
                .build();
    }
}
