package io.chatstream.session.websocket;

import static io.chatstream.session.testing.Sessions.newSessionId;
import static io.chatstream.session.testing.Sessions.streamUri;
import static io.chatstream.session.testing.Sessions.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chatstream.contract.stream.CloseCodes;
import io.chatstream.localkafka.KafkaBrokerTestResource;
import io.chatstream.session.relay.SessionRelay;
import io.chatstream.session.testing.RawStreamClient;
import io.chatstream.session.testing.StreamClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Liveness and the per-instance limit, with limits small enough to reach in a test. */
@QuarkusTest
@TestProfile(LimitsTest.SmallLimits.class)
@WithTestResource(KafkaBrokerTestResource.class)
class LimitsTest {

    public static final class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.websockets-next.server.auto-ping-interval", "200ms",
                    "gateway.session.idle-timeout", "1500ms",
                    "gateway.session.max-connections", "2");
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Inject
    SessionRelay relay;

    @Test
    void aClientThatAnswersNoPingIsClosedAsIdleWhileOneThatAnswersStays() throws Exception {
        String session = newSessionId();
        try (StreamClient alive = StreamClient.connect(uri(session));
                RawStreamClient silent = RawStreamClient.connect(uri(session))) {
            long start = System.nanoTime();
            assertThat(silent.awaitClose()).isEqualTo(CloseCodes.NORMAL);
            System.out.printf(
                    "idle close after %d ms (idle-timeout 1500ms, pings every 200ms)%n",
                    (System.nanoTime() - start) / 1_000_000);
            // A dead peer never completes the close handshake; this one drops its socket.
            silent.close();
            await().until(() -> relay.subscribers(session).size() == 1);
            Thread.sleep(1000);
            // The JDK client answers pings on its own: still subscribed.
            assertThat(relay.subscribers(session)).hasSize(1);
        }
        await().until(() -> relay.subscribers(session).isEmpty());
    }

    @Test
    void pastTheConnectionLimitANewStreamIsClosedWith4002() throws Exception {
        String session = newSessionId();
        try (StreamClient first = StreamClient.connect(uri(session));
                StreamClient second = StreamClient.connect(uri(session))) {
            await().until(() -> relay.subscribers(session).size() == 2);
            try (StreamClient third = StreamClient.connect(uri(session))) {
                assertThat(third.awaitCloseCode()).isEqualTo(CloseCodes.TOO_MANY_CONNECTIONS);
                assertThat(third.closeReason()).isEqualTo("too many connections");
            }
            first.close();
            await().until(() -> relay.subscribers(session).size() == 1);
            try (StreamClient again = StreamClient.connect(uri(session))) {
                await().until(() -> relay.subscribers(session).size() == 2);
            }
        }
    }

    private URI uri(String session) {
        return streamUri(base, session, token(session), "");
    }
}
