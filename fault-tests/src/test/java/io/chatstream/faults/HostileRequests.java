package io.chatstream.faults;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The generator of the ingress fuzzing: a good request ({@code POST /v1/sessions/{id}/messages},
 * the fuzzing key, JSON body) with defects applied. With one defect the contract says what the
 * answer is (400, 401, 404, 413 …), and the case carries it; with several, only "no 5xx" is known.
 * Same seed, same cases.
 */
final class HostileRequests {

    /** One generated request; {@code expected} null when only "no 5xx" is known. */
    record Case(String description, HttpRequest request, Set<Integer> expected) {
        @Override
        public String toString() {
            String path = request.uri().getRawPath();
            return description + " (" + request.method() + " "
                    + (path.length() > 80 ? path.substring(0, 80) + "…" : path) + ")";
        }
    }

    private interface Defect {
        String name();
        /** Applies itself; returns the statuses the contract gives a request with only this defect. */
        Set<Integer> apply(Draft draft, Random random);
    }

    /** A request being built. */
    static final class Draft {
        String session = "fz-" + Long.toHexString(System.nanoTime());
        String method = "POST";
        String suffix = "/messages";
        final Map<String, String> headers = new LinkedHashMap<>();
        String text = "\"fuzz\"";
        String bot = "\"quick\"";
        String extra = "";
        byte[] raw;

        Draft() {
            headers.put("Authorization", "Bearer " + FaultGateway.FUZZ_API_KEY);
            headers.put("Content-Type", "application/json");
        }

        byte[] body() {
            if (raw != null) {
                return raw;
            }
            return ("{\"bot\":" + bot + ",\"text\":" + text + extra + "}").getBytes(StandardCharsets.UTF_8);
        }
    }

    private static final Set<Integer> ACCEPTED = Set.of(202, 429);
    private static final Set<Integer> BAD_REQUEST = Set.of(400);

    private static final List<Defect> DEFECTS = List.of(
            defect("no auth", (d, r) -> {
                d.headers.remove("Authorization");
                return Set.of(401);
            }),
            defect("wrong key", (d, r) -> {
                d.headers.put(
                        "Authorization",
                        pick(
                                r,
                                "Bearer nope",
                                "Bearer ",
                                "Basic Zm9vOmJhcg==",
                                "bearer",
                                "Bearer " + "k".repeat(8000)));
                return Set.of(401, 431); // 431: a header over the HTTP server's limit, refused before any resource
            }),
            defect("bad session id", (d, r) -> {
                d.session = pick(
                        r,
                        "a".repeat(129 + r.nextInt(300)),
                        "has%20space",
                        "%C3%A9t%C3%A9",
                        "semi;colon",
                        "%00nul",
                        "dollar$",
                        "star*",
                        "%7Bcurly%7D");
                return BAD_REQUEST;
            }),
            defect("malformed JSON", (d, r) -> {
                d.raw = bytes(pick(
                        r,
                        "{",
                        "{\"bot\":\"quick\",\"text\":",
                        "not json",
                        "{\"bot\":\"quick\" \"text\":\"x\"}",
                        "[1,2",
                        "\"str",
                        "{\"text\":\"x\",}",
                        "nul"));
                return BAD_REQUEST;
            }),
            defect("empty body", (d, r) -> {
                d.raw = new byte[0];
                return BAD_REQUEST;
            }),
            defect("text missing, empty or not a string", (d, r) -> {
                d.text = pick(r, "\"\"", "null", "42", "[\"a\"]", "{\"a\":1}", "true", "\"   \"");
                return BAD_REQUEST;
            }),
            defect("text over 32,000 characters", (d, r) -> {
                d.text = "\"" + "é".repeat(32_001 + r.nextInt(1000)) + "\"";
                return BAD_REQUEST;
            }),
            defect("text of exactly 32,000 characters", (d, r) -> {
                d.text = "\"" + "z".repeat(32_000) + "\"";
                return ACCEPTED;
            }),
            defect("body over 1 MiB", (d, r) -> {
                d.extra = ",\"context\":{\"pad\":\"" + "p".repeat(1024 * 1024 + r.nextInt(100_000)) + "\"}";
                return Set.of(413);
            }),
            defect("unknown bot", (d, r) -> {
                d.bot = "\"nosuchbot" + r.nextInt(1000) + "\"";
                return Set.of(404);
            }),
            defect("bot not a string", (d, r) -> {
                d.bot = pick(r, "1", "null", "[]", "{}");
                return Set.of(400, 404);
            }),
            defect("unknown fields", (d, r) -> {
                d.extra = ",\"zzz\":1,\"__proto__\":{\"x\":1},\"constructor\":null";
                return ACCEPTED;
            }),
            defect("deeply nested context", (d, r) -> {
                int depth = 2000 + r.nextInt(20_000);
                d.extra = ",\"context\":" + "[".repeat(depth) + "]".repeat(depth);
                return Set.of(400, 202, 429);
            }),
            defect("invalid UTF-8", (d, r) -> {
                byte[] head = bytes("{\"bot\":\"quick\",\"text\":\"");
                byte[] bad = {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE, (byte) 0xED, (byte) 0xA0, (byte) 0x80
                };
                byte[] tail = bytes("\"}");
                byte[] all = new byte[head.length + bad.length + tail.length];
                System.arraycopy(head, 0, all, 0, head.length);
                System.arraycopy(bad, 0, all, head.length, bad.length);
                System.arraycopy(tail, 0, all, head.length + bad.length, tail.length);
                d.raw = all;
                return Set.of(400, 202, 429);
            }),
            defect("lone surrogate and control characters", (d, r) -> {
                d.text = pick(r, "\"\\ud800 x\"", "\"a\\u0000b\"", "\"\\udfff\\ud800\"", "\"\\u202e\\u0007\"");
                return Set.of(400, 202, 429);
            }),
            defect("wrong content type", (d, r) -> {
                d.headers.put(
                        "Content-Type",
                        pick(
                                r,
                                "text/plain",
                                "application/xml",
                                "application/json; charset=latin1",
                                "multipart/form-data; boundary=x",
                                "*/*"));
                return null;
            }),
            defect("no content type", (d, r) -> {
                d.headers.remove("Content-Type");
                return null;
            }),
            defect("hostile idempotency key", (d, r) -> {
                d.headers.put("Idempotency-Key", pick(r, "k".repeat(5000), "\u00e9t\u00e9", "a b c", "", "%00", "{}"));
                return Set.of(202, 400, 429);
            }),
            defect("wrong method", (d, r) -> {
                d.method = pick(r, "GET", "PUT", "DELETE", "PATCH");
                return null;
            }),
            defect("neighbouring paths", (d, r) -> {
                d.suffix = pick(
                        r,
                        "/messages/x/cancel",
                        "/messages/%2e%2e",
                        "/token",
                        "/messages/" + "m".repeat(300) + "/cancel",
                        "/nope",
                        "");
                return null;
            }),
            defect("huge numbers and duplicate keys", (d, r) -> {
                d.extra = pick(
                        r,
                        ",\"text\":\"dup\"",
                        ",\"n\":1" + "0".repeat(20_000),
                        ",\"f\":1e999999",
                        ",\"x\":-0.0e-99999");
                return Set.of(400, 202, 429);
            }));

    private HostileRequests() {}

    static Case next(Random random, String baseUrl) {
        Draft draft = new Draft();
        StringBuilder description = new StringBuilder();
        Set<Integer> expected = ACCEPTED;
        int defects = random.nextInt(10) < 1 ? 0 : random.nextInt(10) < 6 ? 1 : 2 + random.nextInt(3);
        for (int i = 0; i < defects; i++) {
            Defect defect = DEFECTS.get(random.nextInt(DEFECTS.size()));
            Set<Integer> answer = defect.apply(draft, random);
            description.append(description.isEmpty() ? "" : " + ").append(defect.name());
            expected = defects == 1 ? answer : null;
        }
        if (defects == 0) {
            draft.text = "\"fuzz " + random.nextInt() + "\"";
            description.append("a good request");
        }
        String url = baseUrl + "/v1/sessions/" + draft.session + draft.suffix;
        HttpRequest request;
        try {
            request = IngressFuzzIT.request(
                    url, draft.method, draft.headers, draft.method.equals("GET") ? null : draft.body());
        } catch (IllegalArgumentException e) {
            // A header value the JDK client refuses to send: send it without that header.
            draft.headers.remove("Idempotency-Key");
            request = IngressFuzzIT.request(url, draft.method, draft.headers, draft.body());
        }
        return new Case(description.toString(), request, expected);
    }

    private static Defect defect(String name, java.util.function.BiFunction<Draft, Random, Set<Integer>> apply) {
        return new Defect() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Set<Integer> apply(Draft draft, Random random) {
                return apply.apply(draft, random);
            }
        };
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... options) {
        return options[random.nextInt(options.length)];
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
