package io.chatstream.ingress.demo;

import io.chatstream.contract.event.EventJson;
import io.chatstream.ingress.config.IngressConfig;
import io.chatstream.ingress.problem.Problem;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * The one switch of the demo page ({@code gateway.ingress.demo-page.enabled}). Off, the page
 * ({@code /chat/…}) and its token endpoint ({@code /demo/…}) answer 404 before anything else
 * runs, as paths that do not exist; on, {@code /} and {@code /chat} lead to {@code /chat/}.
 */
@Singleton
public class DemoPageGate {

    static final String PAGE = "/chat/";

    void install(@Observes Router router, IngressConfig config) {
        boolean enabled = config.demoPage().enabled();
        byte[] notFound = EventJson.encode(
                Problem.of(404, "Not Found", "http_404", "No such resource (the demo page is not enabled)."));
        // Before the body limit and every other route, so that nothing of the demo answers when off.
        router.route().order(-2000).handler(rc -> {
            String path = rc.normalizedPath();
            if (!isDemoPath(path)) {
                rc.next();
            } else if (!enabled) {
                rc.response()
                        .setStatusCode(404)
                        .putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .end(Buffer.buffer(notFound));
            } else if (path.equals("/") || path.equals("/chat")) {
                redirect(rc);
            } else {
                rc.next();
            }
        });
    }

    static boolean isDemoPath(String path) {
        return path.equals("/")
                || path.equals("/chat")
                || path.startsWith("/chat/")
                || path.equals("/demo")
                || path.startsWith("/demo/");
    }

    private static void redirect(RoutingContext rc) {
        rc.response().setStatusCode(302).putHeader("Location", PAGE).end();
    }
}
