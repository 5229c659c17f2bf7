package io.chatstream.session.websocket;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The query of a stream connection. Parsed here, and never logged: it carries the token.
 *
 * @param token the stream token, or null
 * @param from a message id to start from, or null
 * @param cursor the last cursor the client received, or null
 */
record StreamQuery(String token, String from, String cursor) {

    static StreamQuery parse(String rawQuery) {
        String token = null;
        String from = null;
        String cursor = null;
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                switch (name) {
                    case "token" -> token = value;
                    case "from" -> from = value;
                    case "cursor" -> cursor = value;
                    default -> {
                        // Unknown parameters are ignored, as the REST API ignores unknown fields.
                    }
                }
            }
        }
        return new StreamQuery(token, from, cursor);
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // A malformed escape: keep the raw text, the token or cursor check then refuses it.
            return value;
        }
    }
}
