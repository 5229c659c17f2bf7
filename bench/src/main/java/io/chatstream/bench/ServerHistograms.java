package io.chatstream.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service's own Prometheus histogram over one phase: the bucket counts scraped from
 * {@code /q/metrics} before and after, subtracted, so that the figures are the phase's and not the
 * warm-up's. It splits the client's figures into the hops the services see: the connector's wait
 * for the vendor's first token, the session-service's Kafka-to-socket lag.
 */
final class ServerHistograms {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final int port;
    private final String metric;
    private Map<Double, Double> before = Map.of();
    private Map<Double, Double> during = Map.of();

    ServerHistograms(int port, String metric) {
        this.port = port;
        this.metric = metric;
    }

    void start() {
        before = scrape();
    }

    void stop() {
        Map<Double, Double> after = scrape();
        Map<Double, Double> diff = new TreeMap<>();
        after.forEach((le, count) -> diff.put(le, count - before.getOrDefault(le, 0.0)));
        during = diff;
    }

    /** The upper bound (ms) of the bucket holding the percentile, or NaN without observations. */
    double ms(double percentile) {
        double total =
                during.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        if (total == 0) {
            return Double.NaN;
        }
        for (Map.Entry<Double, Double> bucket : during.entrySet()) {
            if (bucket.getValue() >= total * percentile / 100) {
                return bucket.getKey() * 1000;
            }
        }
        return Double.NaN;
    }

    long count() {
        return (long)
                during.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    /** Cumulative bucket counts by upper bound, summed over the metric's label sets. */
    private Map<Double, Double> scrape() {
        Map<Double, Double> buckets = new TreeMap<>();
        Pattern line = Pattern.compile(
                "^" + Pattern.quote(metric) + "_bucket\\{.*le=\"([^\"]+)\".*} (\\S+)", Pattern.MULTILINE);
        try {
            String body = HTTP.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            Matcher m = line.matcher(body);
            while (m.find()) {
                double le = m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
                buckets.merge(le, Double.parseDouble(m.group(2)), Double::sum);
            }
        } catch (Exception e) {
            // A service without metrics (dead, or not the gateway): no figures, not a failed run.
        }
        return buckets;
    }

    /** The gateway phases' server-side figures as a markdown table ("" when there are none). */
    static String markdown(List<Phase> phases) {
        StringBuilder md = new StringBuilder();
        for (Phase p : phases) {
            if (p.server.isEmpty()) {
                continue;
            }
            if (md.isEmpty()) {
                md.append("\nThe same gateway phases as the services saw them (their Prometheus histograms over the"
                        + " phase; bucket upper bounds, ms):\n\n| scenario |");
                p.server.keySet().forEach(what -> md.append(' ').append(what).append(" p50 / p99 |"));
                md.append("\n|---|").append("---|".repeat(p.server.size())).append('\n');
            }
            md.append("| ").append(p.scenario.name()).append(" |");
            p.server.values().forEach(h -> md.append(String.format(" %.1f / %.1f |", h.ms(50), h.ms(99))));
            md.append('\n');
        }
        return md.toString();
    }
}
