package io.chatstream.session.websocket;

import static io.chatstream.session.testing.Sessions.newMessageId;
import static io.chatstream.session.testing.Sessions.newSessionId;
import static io.chatstream.session.testing.Sessions.streamUri;
import static io.chatstream.session.testing.Sessions.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chatstream.contract.event.MessageEvent;
import io.chatstream.localkafka.KafkaBrokerTestResource;
import io.chatstream.session.relay.SessionRelay;
import io.chatstream.session.testing.EventProducer;
import io.chatstream.session.testing.StreamClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code %test.gateway.stream.max-pending-frames=50}: a client that stops reading is closed with 4001. */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
class SlowClientTest {

    private static final int EVENTS = 400;

    @TestHTTPResource("/")
    URL base;

    @Inject
    SessionRelay relay;

    @Test
    void aClientThatStopsReadingIsClosedWith4001() throws Exception {
        String session = newSessionId();
        String message = newMessageId();
        // 64 KiB per frame: ~26 MB in all, more than the socket buffers hold, so frames stay unsent.
        String chunk = "x".repeat(64 * 1024);
        try (StreamClient client = StreamClient.connectPaused(streamUri(base, session, token(session), ""))) {
            EventProducer.send(MessageEvent.started(session, message, "demo", "demo"));
            for (int seq = 1; seq < EVENTS; seq++) {
                EventProducer.send(MessageEvent.delta(session, message, seq, chunk));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> relay.bufferedEvents(session) == EVENTS);

            client.resume();

            assertThat(client.awaitCloseCode()).isEqualTo(ConnectionSubscriber.SLOW_CLIENT);
            assertThat(client.closeReason()).isEqualTo("slow client");
            assertThat(client.frameCount()).isLessThan(EVENTS);
        }
    }
}
