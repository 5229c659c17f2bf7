package io.chatstream.ingress.problem;

import java.util.Map;

/** Ends a request with a problem detail; thrown anywhere in a request, mapped by {@link ProblemMappers}. */
public class ProblemException extends RuntimeException {

    private final Problem problem;
    private final Map<String, String> headers;

    public ProblemException(int status, String title, String code, String detail, Map<String, String> headers) {
        super(detail, null, false, false);
        this.problem = Problem.of(status, title, code, detail);
        this.headers = headers;
    }

    public ProblemException(int status, String title, String code, String detail) {
        this(status, title, code, detail, Map.of());
    }

    public static ProblemException badRequest(String code, String detail) {
        return new ProblemException(400, "Bad Request", code, detail);
    }

    public static ProblemException unauthorized(String detail) {
        return new ProblemException(
                401, "Unauthorized", "unauthorized", detail, Map.of("WWW-Authenticate", "Bearer realm=\"gateway\""));
    }

    public static ProblemException notFound(String code, String detail) {
        return new ProblemException(404, "Not Found", code, detail);
    }

    public static ProblemException unavailable(String detail) {
        return new ProblemException(
                503, "Service Unavailable", "kafka_unavailable", detail, Map.of("Retry-After", "1"));
    }

    public Problem problem() {
        return problem;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
