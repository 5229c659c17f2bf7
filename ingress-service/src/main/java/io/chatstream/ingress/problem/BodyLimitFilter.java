package io.chatstream.ingress.problem;

import io.chatstream.contract.event.EventJson;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a body over the limit (docs/api.md: 1 MiB) from its {@code Content-Length}, before it is
 * read, with the same problem shape as every other error. A chunked body without a length is cut
 * by {@code quarkus.http.limits.max-body-size}, the same limit, as a plain 413.
 */
@Singleton
public class BodyLimitFilter {

    void install(@Observes Router router, @ConfigProperty(name = "quarkus.http.limits.max-body-size") String limit) {
        long maxBytes = new MemorySizeConverter().convert(limit).asLongValue();
        byte[] problem = EventJson.encode(Problem.of(
                413, "Content Too Large", "body_too_large", "The request body is larger than " + limit + "B."));
        router.route().order(-1000).handler(rc -> {
            String length = rc.request().getHeader("Content-Length");
            if (length != null && parse(length) > maxBytes) {
                rc.response()
                        .setStatusCode(413)
                        .putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .putHeader("Connection", "close")
                        .end(Buffer.buffer(problem));
                return;
            }
            rc.next();
        });
    }

    private static long parse(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
