package io.chatstream.provider.lingoblocks.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The Socket.IO v5 layer over Engine.IO: the main namespace {@code /}, whose CONNECT ({@code 40})
 * is answered {@code 40{"sid"}}, or refused with a CONNECT_ERROR {@code 44{"message"}} when the
 * {@code access-token} header of the handshake is not valid (as a socket.io middleware calling
 * {@code next(new Error(…))} does); events {@code 42[name, payload]} to the sockets of one access
 * token.
 */
final class SocketIoNamespace implements EngineIoServer.Listener {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN_HEADER = "access-token";

    /** One connected socket of the main namespace. */
    record ConnectedSocket(String id, String accessToken, EngineIoSession session) {}

    private final Predicate<String> validToken;
    private final Map<EngineIoSession, ConnectedSocket> sockets = new ConcurrentHashMap<>();

    SocketIoNamespace(Predicate<String> validToken) {
        this.validToken = validToken;
    }

    /** The sockets connected with this access token now. */
    List<ConnectedSocket> socketsOf(String accessToken) {
        return sockets.values().stream()
                .filter(s -> s.accessToken().equals(accessToken))
                .toList();
    }

    @Override
    public void onMessage(EngineIoSession session, String data) {
        if (data.isEmpty()) {
            session.close("parse error");
            return;
        }
        char type = data.charAt(0);
        String rest = data.substring(1);
        String namespace = "/";
        if (rest.startsWith("/")) {
            int comma = rest.indexOf(',');
            namespace = comma < 0 ? rest : rest.substring(0, comma);
            rest = comma < 0 ? "" : rest.substring(comma + 1);
        }
        switch (type) {
            case '0' -> connect(session, namespace);
            case '1' -> sockets.remove(session);
            case '2', '3' -> {
                // events and acks from the client: LingoBlocks clients only listen
                String payload = rest.replaceFirst("^[0-9]+", ""); // an ack id may come first
                if (!payload.isEmpty() && !isJson(payload)) {
                    session.close("parse error");
                }
            }
            default -> session.close("parse error");
        }
    }

    private void connect(EngineIoSession session, String namespace) {
        if (!"/".equals(namespace)) {
            session.send("44" + namespace + ",{\"message\":\"Invalid namespace\"}", false);
            return;
        }
        String token = session.header(TOKEN_HEADER);
        if (token == null || !validToken.test(token)) {
            session.send("44{\"message\":\"Invalid access token\"}", false);
            return;
        }
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        sockets.put(session, new ConnectedSocket(id, token, session));
        session.send("40{\"sid\":\"" + id + "\"}", false);
    }

    @Override
    public void onClose(EngineIoSession session, String reason) {
        sockets.remove(session);
    }

    /** {@code 42[name, payload]} to one socket. */
    static void emit(ConnectedSocket socket, String event, JsonNode payload, boolean split) {
        ArrayNode args = JSON.createArrayNode().add(event).add(payload);
        socket.session().send("42" + args, split);
    }

    private static boolean isJson(String text) {
        try {
            JSON.readTree(text);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
