package io.chatstream.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OpenAiEndpointTest {

    @Test
    void urlWithAPathIsUsedAsIsAndABareHostGetsV1() {
        assertThat(OpenAiEndpoint.of("http://127.0.0.1:9101").path()).isEqualTo("/v1/chat/completions");
        assertThat(OpenAiEndpoint.of("https://api.openai.com/v1").path()).isEqualTo("/v1/chat/completions");
        assertThat(OpenAiEndpoint.of("https://host/compat/v1/").path()).isEqualTo("/compat/v1/chat/completions");
        assertThat(OpenAiEndpoint.of("https://api.openai.com/v1").port()).isEqualTo(443);
    }
}
