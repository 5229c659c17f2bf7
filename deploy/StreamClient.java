import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A WebSocket client with nothing to install: `java deploy/StreamClient.java <streamUrl>` prints
 * every frame of a session stream; `--post <ingress> <apiKey> <bot> <text>` sends a message first.
 * Ends after the first terminal event.
 */
public class StreamClient {
    public static void main(String[] args) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String url = args[0];
        if (args[0].equals("--post")) {
            String session = "cli-" + System.currentTimeMillis();
            String body = "{\"bot\":\"" + args[3] + "\",\"text\":\"" + args[4].replace("\"", "\\\"") + "\"}";
            HttpResponse<String> accepted = http.send(
                    HttpRequest.newBuilder(URI.create(args[1] + "/v1/sessions/" + session + "/messages"))
                            .header("Authorization", "Bearer " + args[2])
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            System.out.println(accepted.statusCode() + " " + accepted.body());
            Matcher m = Pattern.compile("\"streamUrl\":\"([^\"]+)\"").matcher(accepted.body());
            if (!m.find()) {
                System.exit(1);
            }
            url = m.group(1);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        http.newWebSocketBuilder().buildAsync(URI.create(url), new WebSocket.Listener() {
            private final StringBuilder frame = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                frame.append(data);
                if (last) {
                    String text = frame.toString();
                    frame.setLength(0);
                    System.out.println(text);
                    if (text.matches(".*\"type\":\"message\\.(completed|failed|cancelled)\".*")) {
                        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
                        done.complete(null);
                    }
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                System.out.println("closed " + code + " " + reason);
                done.complete(null);
                return null;
            }
        }).join();
        done.join();
    }
}
