package io.chatstream.ingress.rest;

import io.chatstream.ingress.problem.ProblemException;
import java.util.regex.Pattern;

/** Session ids are chosen by clients; only this alphabet is accepted (docs/api.md). */
final class SessionIds {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private SessionIds() {}

    static String require(String sessionId) {
        if (sessionId == null || !VALID.matcher(sessionId).matches()) {
            throw ProblemException.badRequest("invalid_session_id", "The session id must match [A-Za-z0-9._-]{1,128}.");
        }
        return sessionId;
    }
}
