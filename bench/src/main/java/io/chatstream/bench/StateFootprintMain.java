package io.chatstream.bench;

import io.chatstream.testkit.ChildProcess;
import io.chatstream.testkit.GatewayCluster;
import io.chatstream.testkit.IngressClient;
import io.chatstream.testkit.PostgresProcess;
import io.chatstream.testkit.ServiceProcess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What keeping the gateway's state costs (docs/benchmarks.md, "State in PostgreSQL"): the
 * {@code POST}→{@code 202} latency, the services' live heap as sessions pile up, and the bytes in
 * the database and in Kafka. It runs the build at {@code -Dgateway.root} (its three services'
 * {@code target/quarkus-app}), so the same main measures an older build (bench/state-footprint.sh
 * makes a root whose services are another worktree's). Arguments, all {@code key=value}:
 *
 * <ul>
 *   <li>{@code mode=latency|footprint}
 *   <li>{@code label=<name>} names the run in its output (e.g. before, after)
 *   <li>{@code clients=1,100} latency: the concurrencies; {@code seconds=20} measured per phase;
 *       {@code warmup=20} seconds of unrecorded load at the highest C first; {@code text=200} characters
 *       per question; {@code idempotency=false} an Idempotency-Key on every POST
 *   <li>{@code sessions=1000,100000} footprint: the heap is counted at 0 and at each of these totals of
 *       sessions (one message each, {@code question=2000} characters, {@code fill-clients=32} loops);
 *       {@code fill-minutes=12} stops filling then and counts what there is
 *   <li>{@code jvm=-Xmx1g,-XX:+UseSerialGC} the services' JVM options; {@code env.<NAME>=<value>} more
 *       of their environment
 *   <li>{@code out=<dir>} (default {@code target/state-results/<time>-<label>-<mode>})
 * </ul>
 */
public final class StateFootprintMain {

    private static final String BOT = "demo";

    private StateFootprintMain() {}

    public static void main(String[] argv) throws Exception {
        BenchArgs parsed = BenchArgs.parse(argv);
        Map<String, String> args = parsed.options();
        Map<String, String> env = parsed.env();
        String mode = args.getOrDefault("mode", "latency");
        String label = args.getOrDefault("label", "run");
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(ZoneOffset.UTC)
                .format(Instant.now());
        Path out = Path.of(args.getOrDefault("out", "target/state-results/" + stamp + "-" + label + "-" + mode));
        Files.createDirectories(out);
        Output o = new Output(out.resolve("results.txt"));
        o.line("# " + label + " " + mode + ", " + stamp + " UTC, root " + GatewayCluster.root());
        o.line("machine: " + Machine.describe());
        o.line("before start: " + Machine.load());

        List<String> jvm =
                List.of(args.getOrDefault("jvm", "-Xmx1g,-XX:+UseSerialGC").split(","));
        try (GatewayCluster cluster = GatewayCluster.builder()
                .logDir(out.resolve("logs"))
                .apiKeys("state-key")
                .vendors("openai")
                .jvmOptions(jvm)
                .env("GATEWAY_RATE_LIMIT_PER_SECOND", "1000000")
                .env("GATEWAY_RATE_LIMIT_BURST", "1000000")
                .env("GATEWAY_CONNECTOR_MAX_QUEUED", "20000")
                .env("GATEWAY_CONNECTOR_PROVIDERS", "demo")
                // A short answer: the figures are the state's, not the streaming's.
                .env("GATEWAY_BOTS_DEMO_TOKENS", "5")
                .env("GATEWAY_BOTS_DEMO_PACE", "1ms")
                .env("GATEWAY_BOTS_DEMO_MAX_CONCURRENCY", "20000")
                .env(env)
                .start()) {
            o.line("services: "
                    + cluster.services().stream()
                            .map(s -> s.name() + " pid " + s.pid())
                            .toList() + ", JVM " + jvm);
            if (mode.equals("latency")) {
                latency(cluster, args, o);
            } else {
                footprint(cluster, args, o, out);
            }
            sizes(cluster, o);
        }
    }

    private static void latency(GatewayCluster cluster, Map<String, String> args, Output o) throws Exception {
        List<Integer> clients = ints(args.getOrDefault("clients", "1,100"));
        Duration measured = Duration.ofSeconds(Long.parseLong(args.getOrDefault("seconds", "20")));
        Duration warmup = Duration.ofSeconds(Long.parseLong(args.getOrDefault("warmup", "20")));
        String text = words(new Random(1), Integer.parseInt(args.getOrDefault("text", "200")));
        PostLatency load = new PostLatency(
                cluster.ingressClient(), BOT, text, Boolean.parseBoolean(args.getOrDefault("idempotency", "false")));
        int most = clients.stream().mapToInt(Integer::intValue).max().orElse(1);
        o.line("warm-up: " + load.run("warmup", most, Duration.ZERO, warmup).line());
        for (int c : clients) {
            pause(3000);
            o.line("before c" + c + ": " + Machine.load());
            o.line(load.run("c" + c, c, Duration.ofSeconds(3), measured).line());
        }
        o.line("after: " + Machine.load());
    }

    private static void footprint(GatewayCluster cluster, Map<String, String> args, Output o, Path out)
            throws Exception {
        List<Integer> checkpoints = ints(args.getOrDefault("sessions", "1000,100000"));
        int questionChars = Integer.parseInt(args.getOrDefault("question", "2000"));
        int fillClients = Integer.parseInt(args.getOrDefault("fill-clients", "32"));
        long deadline = System.nanoTime()
                + Duration.ofMinutes(Long.parseLong(args.getOrDefault("fill-minutes", "12")))
                        .toNanos();
        IngressClient client = cluster.ingressClient();
        census(cluster, o, out, 0);
        int done = 0;
        for (int target : checkpoints) {
            long start = System.nanoTime();
            int reached = fill(client, done, target, questionChars, fillClients, deadline, o);
            o.line(String.format(
                    "filled %d → %d sessions in %.1f s (%s)",
                    done, reached, (System.nanoTime() - start) / 1e9, Machine.load()));
            done = reached;
            drain(client, done, o);
            census(cluster, o, out, done);
            if (System.nanoTime() > deadline) {
                o.line("fill time is up: stopped at " + done + " sessions");
                break;
            }
        }
    }

    /** Sessions {@code from}..{@code to}-1, one message each, with an Idempotency-Key; returns how far it got. */
    private static int fill(IngressClient client, int from, int to, int chars, int loops, long deadline, Output o)
            throws InterruptedException, IOException {
        AtomicInteger next = new AtomicInteger(from);
        AtomicLong errors = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < loops; i++) {
            Thread t = new Thread(
                    () -> {
                        int n;
                        while (System.nanoTime() < deadline && (n = next.getAndIncrement()) < to) {
                            String body = "{\"bot\":\"" + BOT + "\",\"text\":"
                                    + IngressClient.quote(words(new Random(n), chars)) + "}";
                            IngressClient.Answer a = client.post(
                                    session(n), body, UUID.randomUUID().toString(), Duration.ofSeconds(30));
                            if (a.status() != 202) {
                                errors.incrementAndGet();
                            }
                        }
                    },
                    "fill-" + i);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        if (errors.get() > 0) {
            o.line("fill: " + errors.get() + " POSTs not accepted");
        }
        return Math.min(next.get(), to);
    }

    /** Waits until the last sessions' messages have ended (answered, history written), then 5 s more. */
    private static void drain(IngressClient client, int sessions, Output o) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        for (int n = Math.max(0, sessions - 20); n < sessions; n++) {
            while (System.nanoTime() < deadline) {
                HttpResponse<String> r = client.call("GET", session(n), "/messages");
                if (r.statusCode() == 200 && r.body().contains("\"completed\"")) {
                    break;
                }
                pause(500);
            }
        }
        if (System.nanoTime() > deadline) {
            o.line("drain: the last messages had not all ended within 3 minutes");
        }
        pause(5000);
    }

    private static void census(GatewayCluster cluster, Output o, Path out, int sessions) throws Exception {
        o.line("after " + sessions + " sessions (" + Machine.load() + "):");
        for (ServiceProcess s : List.of(cluster.ingress(), cluster.connector(), cluster.session())) {
            o.line("  "
                    + HeapCensus.count(s.name(), s.pid(), out.resolve("heap"), sessions + "-sessions")
                            .line());
        }
    }

    private static void sizes(GatewayCluster cluster, Output o) throws IOException {
        try {
            o.line("database:");
            for (StateSizes.Table t :
                    StateSizes.database(cluster.jdbcUrl(), PostgresProcess.USERNAME, PostgresProcess.PASSWORD)) {
                o.line("  " + t.line());
            }
        } catch (Exception e) {
            o.line("  no database figures: " + e);
        }
        try {
            o.line("kafka topics (log bytes): " + StateSizes.topics(cluster.bootstrapServers()));
        } catch (Exception e) {
            o.line("kafka topics: " + e);
        }
    }

    private static String session(int n) {
        return "fp-" + n;
    }

    /** About {@code chars} characters of words, different for each seed (as questions are). */
    static String words(Random random, int chars) {
        String[] vocabulary =
                ("the a of to and in is it you that for on with as this was are be at or have not from by "
                                + "my gateway order invoice refund delivery account password shipping please could would "
                                + "help problem since yesterday customer support number address payment card months "
                                + "change update cancel subscription error message screen login email phone "
                                + "question answer thank again still cannot why when where which how what")
                        .split(" ");
        StringBuilder b = new StringBuilder(chars + 16);
        while (b.length() < chars) {
            b.append(vocabulary[random.nextInt(vocabulary.length)]);
            b.append(random.nextInt(12) == 0 ? ". " : " ");
            if (random.nextInt(40) == 0) {
                b.append(random.nextInt(1_000_000)).append(' ');
            }
        }
        return b.substring(0, chars);
    }

    private static List<Integer> ints(String csv) {
        List<Integer> list = new ArrayList<>();
        for (String s : csv.split(",")) {
            list.add(Integer.parseInt(s.trim()));
        }
        return list;
    }

    private static void pause(long millis) {
        ChildProcess.sleep(millis);
    }

    /** Prints each line and appends it to the results file. */
    private record Output(Path file) {
        void line(String text) throws IOException {
            System.out.println(text);
            Files.writeString(file, text + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }
}
