package io.chatstream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Turns the phases of a run into JSON, a markdown table (with ratios to direct) and the chart. */
final class Report {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    final ObjectNode root = JSON.createObjectNode();
    final List<Phase> phases = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    ObjectNode idle;
    String analyticsTable;

    Report(String command, String machine) {
        root.put("command", command);
        root.put("machine", machine);
    }

    static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    ObjectNode json() {
        ArrayNode out = root.putArray("phases");
        for (Phase p : phases) {
            ObjectNode o = out.addObject()
                    .put("scenario", p.scenario.name())
                    .put("target", p.target)
                    .put("concurrency", p.scenario.concurrency())
                    .put("tokensPerAnswer", p.scenario.tokens())
                    .put("paceMs", p.scenario.paceMs());
            if (p.error != null) {
                o.put("error", p.error);
                continue;
            }
            RunStats s = p.stats;
            o.put("seconds", round(p.elapsedSeconds))
                    .put("messages", s.messages.get())
                    .put("incomplete", s.incomplete.get())
                    .put("tokens", s.tokens.get())
                    .put("tokensPerSecond", round(p.tokensPerSecond()))
                    .put("negativeLatencies", s.negative.get());
            ObjectNode ttft = o.putObject("firstTokenMs");
            ttft.put("p50", round(ms(s.firstTokenMicros, 50)))
                    .put("p99", round(ms(s.firstTokenMicros, 99)))
                    .put("max", round(s.firstTokenMicros.getMaxValue() / 1000.0));
            if (s.acceptedMicros.getTotalCount() > 0) {
                o.putObject("postAcceptedMs")
                        .put("p50", round(ms(s.acceptedMicros, 50)))
                        .put("p99", round(ms(s.acceptedMicros, 99)));
            }
            if (!p.server.isEmpty()) {
                ObjectNode server = o.putObject("serverSideMs");
                p.server.forEach((what, h) -> server.putObject(what)
                        .put("p50", round(h.ms(50)))
                        .put("p99", round(h.ms(99)))
                        .put("count", h.count()));
            }
            if (s.vendorFirstSentMicros.getTotalCount() > 0) {
                o.putObject("vendorFirstSentMs")
                        .put("p50", round(ms(s.vendorFirstSentMicros, 50)))
                        .put("p99", round(ms(s.vendorFirstSentMicros, 99)));
            }
            ObjectNode tok = o.putObject("tokenLatencyMs");
            tok.put("p50", round(ms(s.tokenLatencyMicros, 50)))
                    .put("p99", round(ms(s.tokenLatencyMicros, 99)))
                    .put("p999", round(ms(s.tokenLatencyMicros, 99.9)))
                    .put("max", round(s.tokenLatencyMicros.getMaxValue() / 1000.0));
            ObjectNode cpu = o.putObject("cpuMicrosPerToken");
            ObjectNode mem = o.putObject("peakMemoryMiB");
            double total = 0;
            for (Map.Entry<String, Double> e : p.cpuSeconds.entrySet()) {
                double perToken = s.tokens.get() == 0 ? Double.NaN : e.getValue() * 1e6 / s.tokens.get();
                cpu.put(e.getKey(), round(perToken));
                total += e.getValue();
                mem.put(e.getKey(), p.peakBytes.get(e.getKey()) / (1024 * 1024));
            }
            cpu.put("total", round(s.tokens.get() == 0 ? Double.NaN : total * 1e6 / s.tokens.get()));
            o.put("cores", round(total / p.elapsedSeconds));
            ObjectNode failures = o.putObject("failures");
            s.failures.forEach((k, v) -> failures.put(k, v.get()));
            Phase direct = find(p.scenario.name(), "direct");
            if (direct != null && direct != p && direct.error == null) {
                ObjectNode r = o.putObject("ratioToDirect");
                r.put("firstTokenP50", ratio(ms(s.firstTokenMicros, 50), ms(direct.stats.firstTokenMicros, 50)))
                        .put("firstTokenP99", ratio(ms(s.firstTokenMicros, 99), ms(direct.stats.firstTokenMicros, 99)))
                        .put("tokenP50", ratio(ms(s.tokenLatencyMicros, 50), ms(direct.stats.tokenLatencyMicros, 50)))
                        .put("tokenP99", ratio(ms(s.tokenLatencyMicros, 99), ms(direct.stats.tokenLatencyMicros, 99)))
                        .put("tokensPerSecond", ratio(p.tokensPerSecond(), direct.tokensPerSecond()))
                        .put(
                                "firstTokenP50AddedMs",
                                round(ms(s.firstTokenMicros, 50) - ms(direct.stats.firstTokenMicros, 50)));
            }
        }
        if (idle != null) {
            root.set("idleSubscribers", idle);
        }
        if (analyticsTable != null) {
            root.put("analyticsFromEventsMarkdown", analyticsTable);
        }
        ArrayNode n = root.putArray("notes");
        notes.forEach(n::add);
        return root;
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append(
                "| scenario | target | TTFT p50 / p99 ms (gateway: POST→202; request→vendor's first send) | token latency p50 / p99 / p99.9 ms | tokens/s"
                        + " | × direct: TTFT p50, token p99, tokens/s | CPU µs/token (cores) | peak RSS MiB | complete |\n");
        md.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Phase p : phases) {
            if (p.error != null) {
                md.append("| ")
                        .append(p.scenario.name())
                        .append(" | ")
                        .append(p.target)
                        .append(" | not run: ")
                        .append(p.error.replace('|', '/').replace('\n', ' '))
                        .append(" |||||||\n");
                continue;
            }
            RunStats s = p.stats;
            Phase direct = find(p.scenario.name(), "direct");
            String ratios = "—";
            if (direct != null && direct != p && direct.error == null) {
                ratios = f(ratio(ms(s.firstTokenMicros, 50), ms(direct.stats.firstTokenMicros, 50))) + ", "
                        + f(ratio(ms(s.tokenLatencyMicros, 99), ms(direct.stats.tokenLatencyMicros, 99))) + ", "
                        + f(ratio(p.tokensPerSecond(), direct.tokensPerSecond()));
            }
            double total = p.cpuSeconds.values().stream()
                    .mapToDouble(Double::doubleValue)
                    .sum();
            StringBuilder cpu = new StringBuilder(
                    f(total * 1e6 / Math.max(1, s.tokens.get())) + " (" + f(total / p.elapsedSeconds) + ")");
            StringBuilder mem = new StringBuilder();
            for (Map.Entry<String, Double> e : p.cpuSeconds.entrySet()) {
                cpu.append("<br>")
                        .append(short_(e.getKey()))
                        .append(' ')
                        .append(f(e.getValue() * 1e6 / Math.max(1, s.tokens.get())));
                mem.append(mem.length() == 0 ? "" : "<br>")
                        .append(short_(e.getKey()))
                        .append(' ')
                        .append(p.peakBytes.get(e.getKey()) / (1024 * 1024));
            }
            md.append("| ")
                    .append(p.scenario.name())
                    .append(" | ")
                    .append(p.target)
                    .append(" | ")
                    .append(f(ms(s.firstTokenMicros, 50)))
                    .append(" / ")
                    .append(f(ms(s.firstTokenMicros, 99)))
                    .append(
                            s.acceptedMicros.getTotalCount() == 0
                                    ? ""
                                    : "<br>(202: " + f(ms(s.acceptedMicros, 50)) + " / " + f(ms(s.acceptedMicros, 99))
                                            + ")")
                    .append(
                            s.vendorFirstSentMicros.getTotalCount() == 0
                                    ? ""
                                    : "<br>(vendor sends: " + f(ms(s.vendorFirstSentMicros, 50)) + " / "
                                            + f(ms(s.vendorFirstSentMicros, 99)) + ")")
                    .append(" | ")
                    .append(f(ms(s.tokenLatencyMicros, 50)))
                    .append(" / ")
                    .append(f(ms(s.tokenLatencyMicros, 99)))
                    .append(" / ")
                    .append(f(ms(s.tokenLatencyMicros, 99.9)))
                    .append(" | ")
                    .append(String.format(Locale.ROOT, "%,.0f", p.tokensPerSecond()))
                    .append(" | ")
                    .append(ratios)
                    .append(" | ")
                    .append(cpu)
                    .append(" | ")
                    .append(mem)
                    .append(" | ")
                    .append(s.messages.get() - s.incomplete.get())
                    .append('/')
                    .append(s.messages.get())
                    .append(" |\n");
        }
        md.append(ServerHistograms.markdown(phases));
        if (idle != null) {
            md.append("\nIdle subscribers: ").append(idle.toString()).append('\n');
        }
        if (analyticsTable != null) {
            md.append("\nFrom chat.events alone (the example analytics consumer, every phase of the run; TTFT here is"
                            + " the connector's, from its vendor call):\n\n")
                    .append(analyticsTable);
        }
        for (String note : notes) {
            md.append("\n- ").append(note);
        }
        return md.append('\n').toString();
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("results.json"), JSON.writeValueAsString(json()));
        Files.writeString(dir.resolve("results.md"), markdown());
        Chart.write(phases, dir.resolve("chart.png"));
    }

    private Phase find(String scenario, String target) {
        return phases.stream()
                .filter(p -> p.scenario.name().equals(scenario) && p.target.equals(target))
                .findFirst()
                .orElse(null);
    }

    private static String short_(String process) {
        return switch (process) {
            case "bench-clients" -> "clients";
            case "simulator" -> "vendor";
            default -> process;
        };
    }

    static double ratio(double a, double b) {
        return b == 0 || Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : round(a / b);
    }

    static double round(double v) {
        return Double.isNaN(v) ? Double.NaN : Math.round(v * 100) / 100.0;
    }

    static String f(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
