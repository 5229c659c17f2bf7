package io.chatstream.provider.lingoblocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatstream.provider.ProviderException;
import java.net.URI;
import org.junit.jupiter.api.Test;

class LingoBlocksEndpointTest {

    @Test
    void theVendorsBaseUrl() {
        LingoBlocksEndpoint e = LingoBlocksEndpoint.of("https://api.lingoblocks.com");
        assertThat(e.ssl()).isTrue();
        assertThat(e.port()).isEqualTo(443);
        assertThat(e.authenticatePath("bot 1")).isEqualTo("/v1/chatbot/bot%201/authenticate");
        assertThat(e.messagePath("abc")).isEqualTo("/v1/chatbot/abc/message");
        assertThat(e.socketUri()).isEqualTo(URI.create("https://api.lingoblocks.com:443"));
        assertThat(e.socketPath()).isEqualTo("/socket.io");
    }

    @Test
    void aUrlWithAPathPrefixesEveryCall() {
        LingoBlocksEndpoint e = LingoBlocksEndpoint.of("http://127.0.0.1:9102/lingo/");
        assertThat(e.ssl()).isFalse();
        assertThat(e.port()).isEqualTo(9102);
        assertThat(e.messagePath("abc")).isEqualTo("/lingo/v1/chatbot/abc/message");
        assertThat(e.socketPath()).isEqualTo("/lingo/socket.io");
    }

    @Test
    void webSocketSchemesAreTheirHttpPeers() {
        assertThat(LingoBlocksEndpoint.of("wss://x.example").ssl()).isTrue();
        assertThat(LingoBlocksEndpoint.of("ws://x.example").port()).isEqualTo(80);
    }

    @Test
    void notAUrl() {
        assertThatThrownBy(() -> LingoBlocksEndpoint.of("api.lingoblocks.com")).isInstanceOf(ProviderException.class);
        assertThatThrownBy(() -> LingoBlocksEndpoint.of("ftp://x.example")).isInstanceOf(ProviderException.class);
    }
}
