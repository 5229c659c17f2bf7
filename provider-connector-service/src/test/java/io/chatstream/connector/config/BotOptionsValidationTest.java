package io.chatstream.connector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chatstream.simulator.SimulatorsMain;
import io.chatstream.simulator.VendorSimulator;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexReader;
import org.junit.jupiter.api.Test;

/**
 * A bot's keys are declared by several mappings under one prefix: the keys every bot has
 * ({@link ConnectorConfig}) and each vendor module's own options ({@code OpenAiConfig} …). With
 * unknown-key validation, SmallRye checks every {@code gateway.*} key against all mappings at
 * once, so each vendor's options are known and a misspelt one fails, naming it. The vendor
 * mappings are found as Quarkus finds them, in the Jandex index of each jar: no list of vendors.
 */
class BotOptionsValidationTest {

    @Test
    void everyOptionOfTheLocalBotsIsDeclaredBySomeMapping() throws IOException {
        assertThat(localBots()).containsKeys("gateway.bots.openai.model", "gateway.bots.snackprompt.tenant-id");
        SmallRyeConfig config = validating(localBots());

        assertThat(config.getConfigMapping(ConnectorConfig.class).bots())
                .containsKeys("demo", "openai", "lingoblocks", "chatbase", "snackprompt");
    }

    @Test
    void aMisspeltVendorOptionFailsNamingTheKey() throws IOException {
        Map<String, String> properties = new HashMap<>(localBots());
        properties.put("gateway.bots.openai.modle", "x");

        assertThatThrownBy(() -> validating(properties)).hasMessageContaining("gateway.bots.openai.modle");
    }

    @Test
    void theVendorMappingsAreFoundInTheProviderJars() throws IOException {
        assertThat(vendorMappings()).hasSizeGreaterThan(1).allSatisfy(mapping -> assertThat(
                        mapping.getAnnotation(ConfigMapping.class).prefix())
                .isEqualTo("gateway"));
    }

    private static SmallRyeConfig validating(Map<String, String> properties) throws IOException {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "bots", 250))
                .withConverter(Duration.class, 200, new DurationConverter())
                .withDefaultValue("smallrye.config.mapping.validate-unknown", "true")
                .withMapping(ConnectorConfig.class);
        for (Class<?> mapping : vendorMappings()) {
            builder.withMapping(mapping);
        }
        return builder.build();
    }

    /** The {@code @ConfigMapping}s under {@code gateway} of every indexed jar on the classpath. */
    private static List<Class<?>> vendorMappings() throws IOException {
        List<Class<?>> mappings = new ArrayList<>();
        DotName annotation = DotName.createSimple(ConfigMapping.class.getName());
        for (URL url :
                Collections.list(BotOptionsValidationTest.class.getClassLoader().getResources("META-INF/jandex.idx"))) {
            try (InputStream in = url.openStream()) {
                for (AnnotationInstance found : new IndexReader(in).read().getAnnotations(annotation)) {
                    if ("gateway".equals(found.value("prefix").asString())) {
                        mappings.add(load(found.target().asClass().name().toString()));
                    }
                }
            }
        }
        return mappings;
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The local run's bots, as SimulatorsMain writes them: one per vendor, with its own options. */
    private static Map<String, String> localBots() {
        Map<String, String> bots = new HashMap<>();
        for (VendorSimulator simulator : SimulatorsMain.simulators()) {
            String prefix = "gateway.bots." + simulator.provider() + ".";
            bots.put(prefix + "provider", simulator.provider());
            simulator.botOptions(9100, "sim-key").forEach((key, value) -> bots.put(prefix + key, value));
        }
        return bots;
    }
}
