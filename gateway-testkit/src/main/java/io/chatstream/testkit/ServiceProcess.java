package io.chatstream.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One packaged Quarkus service run as its own JVM ({@code java -jar <module>/target/quarkus-app/
 * quarkus-run.jar}), as in production: configured by its environment only, on its own port, ready
 * once {@code /q/health/ready} answers 200.
 */
public final class ServiceProcess extends ChildProcess {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path root;
    private final String module;
    private final List<String> jvmOptions;
    private final Path jar;
    private final int port;

    /**
     * @param root the repository, where {@code <module>/target/quarkus-app} is
     * @param jvmOptions options of the JVM ({@code -Xmx256m} …)
     * @param env its configuration; {@code QUARKUS_HTTP_PORT} is set to {@code port}
     */
    public ServiceProcess(
            Path root,
            String module,
            String name,
            int port,
            List<String> jvmOptions,
            Map<String, String> env,
            Path log) {
        super(name, command(root, module, jvmOptions), withPort(env, port), log, Duration.ofSeconds(15));
        this.root = root;
        this.module = module;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.jar = jar(root, module);
        this.port = port;
    }

    /**
     * One more replica of the same service, not started: the same JVM options and environment but
     * {@code overrides}, on a free port, its log beside this one's. For scaling out in a test.
     */
    public ServiceProcess sibling(String name, Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(env());
        env.putAll(overrides);
        return new ServiceProcess(
                root, module, name, GatewayCluster.freePort(), jvmOptions, env, log().resolveSibling(name + ".log"));
    }

    private static List<String> command(Path root, String module, List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar(root, module).toString());
        return command;
    }

    private static Path jar(Path root, String module) {
        return root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    private static Map<String, String> withPort(Map<String, String> env, int port) {
        Map<String, String> all = new HashMap<>(env);
        all.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        return all;
    }

    @Override
    public synchronized ServiceProcess start() {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services first (./mvnw verify does)");
        }
        super.start();
        return this;
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Waits for {@code /q/health/ready} to answer 200; fails at once if the process exits. */
    public ServiceProcess awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!alive()) {
                throw new IllegalStateException(name() + " exited with " + exitValue() + "; " + tail(20));
            }
            if (ready()) {
                return this;
            }
            sleep(200);
        }
        throw new IllegalStateException(name() + " not ready within " + timeout + "; " + tail(20));
    }

    /** Whether {@code /q/health/ready} answers 200 now. */
    public boolean ready() {
        try {
            return get("/q/health/ready", Duration.ofSeconds(2)).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** Its {@code /q/metrics} (Prometheus text); empty when it does not answer. */
    public String metrics() {
        try {
            HttpResponse<String> response = get("/q/metrics", Duration.ofSeconds(10));
            return response.statusCode() == 200 ? response.body() : "";
        } catch (IOException e) {
            return "";
        }
    }

    private HttpResponse<String> get(String path, Duration timeout) throws IOException {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create(baseUrl() + path))
                            .timeout(timeout)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
