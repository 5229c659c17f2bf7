package io.chatstream.simulator.contract;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.chatstream.contract.event.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The part of a vendor's contract that is data, read from the JSON file beside its fixture class
 * ({@code OpenAiContractFixture.json} next to {@code OpenAiContractFixture}; comments allowed):
 *
 * <pre>
 * {
 *   "wireVariants": ["", "#sim:split", …],                  // "" is the plain one
 *   "failureSwitches": {"#sim:status=403": "auth_failed"},  // over the common ones; null drops one
 *   "wrongCredentials": {"chatbot-id": "no-such-chatbot"}   // optional: api-key wrong-key
 * }
 * </pre>
 *
 * Codes are the contract's ({@code docs/api.md}, "Failure codes").
 */
record ContractData(
        List<String> wireVariants,
        Map<String, ErrorCode> failureSwitches,
        Optional<Map<String, String>> wrongCredentials) {

    private static final JsonMapper JSON =
            JsonMapper.builder().enable(JsonReadFeature.ALLOW_JAVA_COMMENTS).build();
    private static final Set<String> KEYS = Set.of("wireVariants", "failureSwitches", "wrongCredentials");

    /** The data beside {@code fixture}; fails naming the file when it is missing or wrong. */
    static ContractData of(Class<?> fixture) {
        String file = fixture.getSimpleName() + ".json";
        try (InputStream in = fixture.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException(fixture.getName() + " has no " + file + " beside it");
            }
            return parse(JSON.readTree(in), fixture.getPackageName().replace('.', '/') + "/" + file);
        } catch (IOException e) {
            throw new UncheckedIOException(file, e);
        }
    }

    private static ContractData parse(JsonNode json, String file) {
        json.fieldNames().forEachRemaining(key -> {
            if (!KEYS.contains(key)) {
                throw new IllegalStateException(file + ": unknown key " + key + "; known: " + KEYS);
            }
        });
        List<String> variants = new ArrayList<>();
        json.path("wireVariants").forEach(variant -> variants.add(variant.asText()));
        if (variants.isEmpty()) {
            throw new IllegalStateException(file + ": no wireVariants");
        }
        Map<String, ErrorCode> failures = ContractFixture.commonFailureSwitches();
        json.path("failureSwitches").fields().forEachRemaining(e -> {
            if (e.getValue().isNull()) {
                failures.remove(e.getKey());
            } else {
                failures.put(e.getKey(), code(e.getValue().asText(), file));
            }
        });
        Optional<Map<String, String>> credentials = Optional.ofNullable(json.get("wrongCredentials"))
                .map(node -> {
                    Map<String, String> options = new LinkedHashMap<>();
                    node.fields()
                            .forEachRemaining(
                                    e -> options.put(e.getKey(), e.getValue().asText()));
                    return Map.copyOf(options);
                });
        return new ContractData(List.copyOf(variants), failures, credentials);
    }

    private static ErrorCode code(String code, String file) {
        return Arrays.stream(ErrorCode.values())
                .filter(c -> c.code().equals(code))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(file + ": unknown failure code " + code));
    }
}
