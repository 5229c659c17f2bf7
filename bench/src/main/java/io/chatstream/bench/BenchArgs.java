package io.chatstream.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A benchmark main's {@code key=value} arguments: {@code env.<NAME>=<value>} go to the services'
 * environment, the rest are options ({@code key} alone means {@code true}).
 */
record BenchArgs(Map<String, String> options, Map<String, String> env) {

    static BenchArgs parse(String[] argv) {
        Map<String, String> options = new LinkedHashMap<>();
        Map<String, String> env = new LinkedHashMap<>();
        for (String a : argv) {
            String[] kv = a.split("=", 2);
            if (kv[0].startsWith("env.")) {
                env.put(kv[0].substring(4), kv.length > 1 ? kv[1] : "");
            } else {
                options.put(kv[0], kv.length > 1 ? kv[1] : "true");
            }
        }
        return new BenchArgs(options, env);
    }
}
