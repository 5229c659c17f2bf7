package io.chatstream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatstream.analytics.AnalyticsMain;
import io.chatstream.analytics.BotAnalytics;
import io.chatstream.testkit.SimulatorsProcess;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The end-to-end benchmark (docs/benchmarks.md). Arguments, all {@code key=value}:
 *
 * <ul>
 *   <li>{@code scenarios=default|all|<name>,<name>} (see {@link Scenario})
 *   <li>{@code targets=direct,gateway,portkey} (direct always runs first: the ratios need it)
 *   <li>{@code idle=<n>} idle subscribers on one session-service (0: none)
 *   <li>{@code jvm=<opt>,<opt>} JVM options of the three services (default {@code -Xmx512m}, as the local run)
 *   <li>{@code env.<NAME>=<value>} extra environment of the services (tuning experiments)
 *   <li>{@code seconds=<n>} shortens (or lengthens) every scenario's measured time
 *   <li>{@code warmup=<seconds>} unrecorded load per target before the scenarios (default 20): the
 *       JIT compilers of six JVMs otherwise bill the first scenarios for their CPU
 *   <li>{@code jfr=true} records each service with JDK Flight Recorder ({@code run/<service>.jfr})
 *   <li>{@code out=<dir>} where results go (default {@code target/bench-results/<time>})
 *   <li>{@code publish=<dir>} also copy results.json/.md and chart.png there (e.g. ../docs/benchmarks)
 * </ul>
 */
public final class BenchMain {

    private BenchMain() {}

    public static void main(String[] argv) throws Exception {
        BenchArgs parsed = BenchArgs.parse(argv);
        Map<String, String> args = parsed.options();
        Map<String, String> env = parsed.env();
        Path root = Path.of(System.getProperty("gateway.root", ".."))
                .toAbsolutePath()
                .normalize();
        Path benchDir = root.resolve("bench");
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(ZoneOffset.UTC)
                .format(Instant.now());
        Path out = Path.of(args.getOrDefault(
                "out", benchDir.resolve("target/bench-results/" + stamp).toString()));
        List<Scenario> scenarios = scenarios(args.getOrDefault("scenarios", "default"));
        if (args.containsKey("seconds")) {
            java.time.Duration d = java.time.Duration.ofSeconds(Long.parseLong(args.get("seconds")));
            scenarios = scenarios.stream()
                    .map(x -> new Scenario(x.name(), x.concurrency(), x.tokens(), x.paceMs(), d))
                    .toList();
        }
        Set<String> targets =
                Set.of(args.getOrDefault("targets", "direct,gateway,portkey").split(","));
        int idle = Integer.parseInt(args.getOrDefault("idle", "0"));
        // The services' own defaults otherwise: the session-service's replay memory has one budget
        // (gateway.stream.replay-max-bytes) since a 512 MiB heap ran out at C = 1000 without it.
        List<String> jvm = List.of(args.getOrDefault("jvm", "-Xmx512m").split(","));

        Report report = new Report(
                "./mvnw -B -Pbench -pl bench -am package -DskipTests -DskipITs -Dbench.args=\"" + String.join(" ", argv)
                        + "\"",
                Machine.describe());
        report.root.put("startedAt", Instant.now().toString());
        report.root.put("serviceJvmOptions", String.join(" ", jvm));
        ObjectNode envNode = report.root.putObject("serviceEnvOverrides");
        env.forEach(envNode::put);

        Path runDir = Files.createDirectories(out.resolve("run"));
        BenchGateway started = BenchGateway.start(
                runDir,
                targets.contains("gateway") || idle > 0,
                jvm,
                env,
                Boolean.parseBoolean(args.getOrDefault("jfr", "false")));
        // Ctrl-C or a kill must not leave Portkey behind (the cluster stops itself).
        Thread cleanup = new Thread(started::close, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        try (BenchGateway cluster = started) {
            System.out.println("vendor simulator and broker up"
                    + (targets.contains("gateway") || idle > 0 ? ", and the gateway" : "") + "; " + Machine.load());
            String portkeyError = null;
            if (targets.contains("portkey")) {
                try {
                    cluster.startPortkey(PortkeyInstall.ensure(benchDir));
                } catch (Exception e) {
                    portkeyError = e.getClass().getSimpleName() + ": " + e.getMessage();
                    report.notes.add("Portkey not run: " + portkeyError);
                }
            }
            String run = "b" + stamp.replace("-", "");
            if (idle > 0) {
                // First, on a session-service that has not grown its heap under load yet, so that
                // its resident memory before and after tells the cost of a connection.
                report.idle = IdleScenario.run(cluster, idle, run);
                System.out.println("idle: " + report.idle);
            }
            int warmup = Integer.parseInt(args.getOrDefault("warmup", "20"));
            boolean warm = warmup == 0;
            for (Scenario s : scenarios) {
                List<Target> list = new ArrayList<>();
                if (targets.contains("direct")) {
                    list.add(new SseTarget(
                            "direct",
                            vertx,
                            cluster.simulatorPort(),
                            "/v1/chat/completions",
                            Map.of("Authorization", "Bearer " + SimulatorsProcess.API_KEY),
                            List.of(cluster.simulator(), MeasuredProcess.self())));
                }
                if (targets.contains("gateway")) {
                    list.add(new GatewayTarget(vertx, cluster, run + "-" + s.name()));
                }
                if (targets.contains("portkey") && portkeyError == null) {
                    list.add(new SseTarget(
                            "portkey",
                            vertx,
                            cluster.portkeyPort(),
                            "/v1/chat/completions",
                            Map.of(
                                    "Authorization", "Bearer " + SimulatorsProcess.API_KEY,
                                    "x-portkey-provider", "openai",
                                    "x-portkey-custom-host", "http://127.0.0.1:" + cluster.simulatorPort() + "/v1"),
                            List.of(cluster.portkey(), cluster.simulator(), MeasuredProcess.self())));
                }
                if (!warm) {
                    warm = true;
                    Scenario w = new Scenario("warm-up", 50, 200, 0, java.time.Duration.ofSeconds(warmup));
                    for (Target t : list) {
                        System.out.printf("warm-up / %s: %d s%n", t.name(), warmup);
                        try {
                            Phase.run(t, w);
                        } catch (Exception e) {
                            System.out.println("  warm-up failed: " + e);
                        }
                    }
                }
                for (Target t : list) {
                    String dead = cluster.deadProcess();
                    if (dead == null) {
                        dead = cluster.outOfMemory();
                    }
                    if (dead != null) {
                        report.phases.add(Phase.failed(s, t.name(), dead));
                        continue;
                    }
                    String load = Machine.load();
                    System.out.printf("%s / %s: %d streams … (%s)%n", s.name(), t.name(), s.concurrency(), load);
                    Phase phase;
                    try {
                        phase = Phase.run(t, s);
                    } catch (Exception e) {
                        phase = Phase.failed(s, t.name(), e.getClass().getSimpleName() + ": " + e.getMessage());
                    }
                    report.phases.add(phase);
                    report.notes.add(s.name() + "/" + t.name() + " started at " + load);
                    System.out.println(
                            phase.error != null
                                    ? "  failed: " + phase.error
                                    : String.format(
                                            "  %,.0f tokens/s, token p50/p99 %.2f/%.2f ms, TTFT p50 %.1f ms"
                                                    + " (202 %.1f, vendor's first send %.1f), %d/%d complete",
                                            phase.tokensPerSecond(),
                                            Report.ms(phase.stats.tokenLatencyMicros, 50),
                                            Report.ms(phase.stats.tokenLatencyMicros, 99),
                                            Report.ms(phase.stats.firstTokenMicros, 50),
                                            Report.ms(phase.stats.acceptedMicros, 50),
                                            Report.ms(phase.stats.vendorFirstSentMicros, 50),
                                            phase.stats.messages.get() - phase.stats.incomplete.get(),
                                            phase.stats.messages.get()));
                    phase.server.forEach(
                            (what, h) -> System.out.printf("  %s p50/p99 %.1f/%.1f ms%n", what, h.ms(50), h.ms(99)));
                    report.write(out);
                }
            }
            if (targets.contains("gateway")) {
                cluster.saveMetrics();
                // The example analytics consumer, over the same chat.events the run produced: per-bot
                // figures from the events alone, in its own consumer group.
                BotAnalytics analytics =
                        AnalyticsMain.run(cluster.bootstrapServers(), "analytics-example", Duration.ofSeconds(3));
                report.analyticsTable = analytics.table();
                System.out.print(report.analyticsTable);
            }
        } finally {
            vertx.close();
        }
        Runtime.getRuntime().removeShutdownHook(cleanup);
        report.root.put("finishedAt", Instant.now().toString());
        report.write(out);
        System.out.println("results in " + out);
        if (args.containsKey("publish")) {
            Path publish = Files.createDirectories(
                    benchDir.resolve(args.get("publish")).normalize());
            for (String f : new String[] {"results.json", "results.md", "chart.png"}) {
                Files.copy(out.resolve(f), publish.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
            System.out.println("published to " + publish);
        }
    }

    static List<Scenario> scenarios(String spec) {
        List<String> names = Scenario.SETS.getOrDefault(spec, List.of(spec.split(",")));
        List<Scenario> list = new ArrayList<>();
        for (String n : names) {
            Scenario s = Scenario.KNOWN.get(n);
            if (s == null) {
                throw new IllegalArgumentException("unknown scenario " + n + "; known: " + Scenario.KNOWN.keySet());
            }
            list.add(s);
        }
        return list;
    }

    /** Runs a command, returns its output (for the machine description). */
    static String sh(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                StringBuilder sb = new StringBuilder();
                String line;
                while ((line = r.readLine()) != null) {
                    sb.append(line).append('\n');
                }
                p.waitFor();
                return sb.toString().trim();
            }
        } catch (Exception e) {
            return "";
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();
}
