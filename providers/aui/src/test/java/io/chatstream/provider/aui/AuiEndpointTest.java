package io.chatstream.provider.aui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatstream.provider.ProviderException;
import org.junit.jupiter.api.Test;

class AuiEndpointTest {

    @Test
    void theProductionUrl() {
        AuiEndpoint endpoint = AuiEndpoint.of("wss://data-services.aui.io/api/ia-controller/");
        assertThat(endpoint).isEqualTo(new AuiEndpoint("data-services.aui.io", 443, true, "/api/ia-controller"));
        assertThat(endpoint.tasksPath()).isEqualTo("/api/ia-controller/api/v1/external/tasks");
        assertThat(endpoint.sessionPath("k&y=1"))
                .isEqualTo("/api/ia-controller/api/v1/external/session?network_api_key=k%26y%3D1");
    }

    @Test
    void theLocalSimulatorAndHttpForms() {
        assertThat(AuiEndpoint.of("ws://127.0.0.1:9105/api/ia-controller"))
                .isEqualTo(new AuiEndpoint("127.0.0.1", 9105, false, "/api/ia-controller"));
        assertThat(AuiEndpoint.of("https://azure.aui.io/api/ia-controller").ssl())
                .isTrue();
        assertThat(AuiEndpoint.of("http://host").port()).isEqualTo(80);
    }

    @Test
    void notAUrl() {
        assertThatThrownBy(() -> AuiEndpoint.of("ftp://x")).isInstanceOf(ProviderException.class);
        assertThatThrownBy(() -> AuiEndpoint.of("no host")).isInstanceOf(ProviderException.class);
    }
}
