package io.chatstream.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One shared file of every service's keys: a service validates its own and the core, ignores the others'. */
class GatewayConfigCustomizerTest {

    @ConfigMapping(prefix = "gateway.ingress")
    interface OwnConfig {
        String apiKeys();
    }

    private static final class Customizer extends GatewayConfigCustomizer {
        Customizer() {
            super("ingress", false, Map.of("gateway.ingress.", "gateway."));
        }
    }

    private static Map<String, String> shared() {
        Map<String, String> keys = new HashMap<>();
        keys.put("gateway.ingress.api-keys", "k1");
        keys.put("gateway.stream-token.secret", "0123456789abcdef");
        // Plain SmallRye has no converter for "15m" (Quarkus adds it): the ISO form here.
        keys.put("gateway.stream-token.ttl", "PT15M");
        keys.put("gateway.bots.openai.provider", "openai");
        keys.put("gateway.bots.openai.url", "http://127.0.0.1:9101");
        // Another service's namespace and a vendor option: not this service's to judge.
        keys.put("gateway.session.replay-window", "10m");
        keys.put("gateway.connector.max-in-flight", "256");
        keys.put("gateway.bots.openai.model", "sim-model");
        return keys;
    }

    private static SmallRyeConfig build(Map<String, String> file, Map<String, String> env) {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .withMapping(GatewayConfig.class)
                .withMapping(OwnConfig.class)
                .withSources(new PropertiesConfigSource(file, "application.properties", 250))
                .withSources(new EnvConfigSource(env, 300));
        new Customizer().configBuilder(builder);
        return builder.build();
    }

    @Test
    void keysOfOtherServicesAndVendorOptionsDoNotStopTheService() {
        SmallRyeConfig config = build(shared(), Map.of());

        assertThat(config.getConfigMapping(OwnConfig.class).apiKeys()).isEqualTo("k1");
        GatewayConfig gateway = config.getConfigMapping(GatewayConfig.class);
        assertThat(gateway.bots().get("openai").provider()).isEqualTo("openai");
        assertThat(gateway.streamToken().secret()).contains("0123456789abcdef");
    }

    @Test
    void aMisspeltKeyOfTheServiceFailsNamingIt() {
        Map<String, String> file = shared();
        file.put("gateway.ingress.api-kyes", "k2");

        assertThatThrownBy(() -> build(file, Map.of()))
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining("gateway.ingress.api-kyes");
    }

    @Test
    void aMisspeltCoreKeyFailsNamingIt() {
        Map<String, String> file = shared();
        file.put("gateway.stream-token.secrte", "0123456789abcdef");

        assertThatThrownBy(() -> build(file, Map.of()))
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining("gateway.stream-token.secrte");
    }

    @Test
    void aMisspeltNamespaceFailsNamingIt() {
        Map<String, String> file = shared();
        file.put("gateway.ingres.api-keys", "k2");

        assertThatThrownBy(() -> build(file, Map.of()))
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining("gateway.ingres.api-keys");
    }

    @Test
    void theFormerEnvironmentVariableStillSetsAMovedKey() {
        Map<String, String> file = shared();
        file.remove("gateway.ingress.api-keys");

        SmallRyeConfig config = build(file, Map.of("GATEWAY_API_KEYS", "from-env"));

        assertThat(config.getConfigMapping(OwnConfig.class).apiKeys()).isEqualTo("from-env");
    }

    @Test
    void theNewNameWinsOverTheFormerOneFromTheSameSource() {
        SmallRyeConfig config =
                build(shared(), Map.of("GATEWAY_API_KEYS", "former-env", "GATEWAY_INGRESS_API_KEYS", "new-env"));

        assertThat(config.getConfigMapping(OwnConfig.class).apiKeys()).isEqualTo("new-env");
    }

    @Test
    void theFormerEnvironmentVariableBeatsTheNewNameInAFile() {
        // As for any key: an environment variable overrides the properties file, under either name.
        SmallRyeConfig config = build(shared(), Map.of("GATEWAY_API_KEYS", "from-env"));

        assertThat(config.getConfigMapping(OwnConfig.class).apiKeys()).isEqualTo("from-env");
    }
}
