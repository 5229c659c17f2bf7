package io.chatstream.simulator.common;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The switches of one simulated answer. A simulator has defaults (its command line), and a user
 * message may override them with directives in its text, such as {@code #sim:tokens=50} or
 * {@code #sim:fail=429}: so tests, the local run and people at the chat page can trigger every
 * variant and failure through the real vendor API, with nothing but a message.
 */
public final class SimSwitches {

    private static final Pattern DIRECTIVE = Pattern.compile("#sim:([a-z0-9-]+)(?:=([^\\s]+))?");

    private final Map<String, String> values;

    private SimSwitches(Map<String, String> values) {
        this.values = values;
    }

    public static SimSwitches of(Map<String, String> defaults, String messageText) {
        Map<String, String> values = new LinkedHashMap<>(defaults);
        if (messageText != null) {
            Matcher m = DIRECTIVE.matcher(messageText);
            while (m.find()) {
                values.put(m.group(1), m.group(2) == null ? "true" : m.group(2));
            }
        }
        return new SimSwitches(values);
    }

    /** The message text without its directives: what the answer is derived from. */
    public static String stripDirectives(String messageText) {
        return messageText == null
                ? ""
                : DIRECTIVE.matcher(messageText).replaceAll("").trim();
    }

    public boolean on(String name) {
        return "true".equals(values.get(name));
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public int integer(String name, int fallback) {
        return get(name).map(Integer::parseInt).orElse(fallback);
    }

    /** A duration written as {@code 10ms}, {@code 2s} or a plain number of milliseconds. */
    public Duration duration(String name, Duration fallback) {
        return get(name).map(SimSwitches::parseDuration).orElse(fallback);
    }

    static Duration parseDuration(String text) {
        if (text.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        if (text.endsWith("s")) {
            return Duration.ofMillis((long) (Double.parseDouble(text.substring(0, text.length() - 1)) * 1000));
        }
        return Duration.ofMillis(Long.parseLong(text));
    }
}
