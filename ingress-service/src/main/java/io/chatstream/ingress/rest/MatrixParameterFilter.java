package io.chatstream.ingress.rest;

import io.chatstream.contract.event.EventJson;
import io.chatstream.ingress.problem.Problem;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Refuses a {@code ;} in the path of the API. JAX-RS reads {@code /v1/sessions/a;b/messages} as
 * session {@code a} with a matrix parameter {@code b}: the message would land in another session
 * than the one the client named, where the contract answers 400 for a session id outside
 * {@code [A-Za-z0-9._-]}. The API has no matrix parameters. (Found by the fault suite's fuzzing.)
 */
@Singleton
public class MatrixParameterFilter {

    private static final byte[] PROBLEM = EventJson.encode(Problem.of(
            400,
            "Bad Request",
            "invalid_path",
            "The path must not contain ';': a session id must match [A-Za-z0-9._-]{1,128}."));

    void install(@Observes Router router) {
        router.route("/v1/*").order(-999).handler(rc -> {
            if (rc.request().path().indexOf(';') >= 0) {
                rc.response()
                        .setStatusCode(400)
                        .putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .end(Buffer.buffer(PROBLEM));
                return;
            }
            rc.next();
        });
    }
}
