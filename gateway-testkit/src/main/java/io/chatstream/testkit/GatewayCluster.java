package io.chatstream.testkit;

import io.chatstream.contract.event.EventJson;
import io.chatstream.contract.token.TokenClaims;
import io.chatstream.contract.token.TokenKind;
import io.chatstream.contract.token.TokenRejectedException;
import io.chatstream.runtime.token.TokenSigner;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The whole gateway on loopback, each part its own process on free ports: a real KRaft broker
 * ({@link BrokerProcess}), a real PostgreSQL server ({@link PostgresProcess}), the vendor simulators
 * ({@link SimulatorsProcess}) and replicas of the three packaged services ({@link ServiceProcess}),
 * configured only through their environment, as containers are. Built by {@link #builder()}.
 * {@link #close} stops every process it started, services first and the broker last, so that they
 * close their Kafka and database clients cleanly; a JVM shutdown hook does the same if nothing else
 * does, so no process outlives the JVM that started it.
 */
public final class GatewayCluster implements AutoCloseable {

    /**
     * A service of the gateway: its Maven module, the name of its processes (and logs), and whether
     * it keeps state in PostgreSQL (then it gets the datasource in its environment).
     */
    public enum Role {
        SESSION("session-service", "session", false),
        CONNECTOR("provider-connector-service", "connector", true),
        INGRESS("ingress-service", "ingress", true);

        final String module;
        final String processName;
        final boolean usesDatabase;

        Role(String module, String processName, boolean usesDatabase) {
            this.module = module;
            this.processName = processName;
            this.usesDatabase = usesDatabase;
        }
    }

    private final Path workDir;
    private final String apiKey;
    private final TokenSigner signer;
    private final List<ChildProcess> started = new ArrayList<>();
    private final Map<Role, List<ServiceProcess>> replicas = new EnumMap<>(Role.class);
    private final Thread shutdownHook = new Thread(this::close, "gateway-cluster-stop");
    private BrokerProcess broker;
    private PostgresProcess postgres;
    private SimulatorsProcess simulators;
    private boolean closed;

    GatewayCluster(Path workDir, String apiKey, String streamTokenSecret) {
        this.workDir = workDir;
        this.apiKey = apiKey;
        this.signer = new TokenSigner(streamTokenSecret);
        for (Role role : Role.values()) {
            replicas.put(role, new ArrayList<>());
        }
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static GatewayClusterBuilder builder() {
        return new GatewayClusterBuilder();
    }

    /** The repository: system property {@code gateway.root} (the build sets it), else {@code ..}. */
    public static Path root() {
        return Path.of(System.getProperty("gateway.root", ".."))
                .toAbsolutePath()
                .normalize();
    }

    /** A port free on 127.0.0.1 right now ({@link LoopbackPorts}). */
    public static int freePort() {
        return LoopbackPorts.free();
    }

    synchronized <P extends ChildProcess> P started(P process) {
        started.add(process);
        if (process instanceof BrokerProcess b) {
            broker = b;
        } else if (process instanceof PostgresProcess p) {
            postgres = p;
        } else if (process instanceof SimulatorsProcess s) {
            simulators = s;
        }
        return process;
    }

    synchronized void started(Role role, ServiceProcess service) {
        replicas.get(role).add(started(service));
    }

    Path workDir() {
        return workDir;
    }

    public BrokerProcess broker() {
        return broker;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public PostgresProcess postgres() {
        return postgres;
    }

    /** The services' database ({@code gateway}, user and password {@code gateway}). */
    public String jdbcUrl() {
        return postgres.jdbcUrl();
    }

    public SimulatorsProcess simulators() {
        return simulators;
    }

    /** The replicas of a service, in the order they were started (their names end in -1, -2 … when several). */
    public List<ServiceProcess> replicas(Role role) {
        return Collections.unmodifiableList(replicas.get(role));
    }

    public ServiceProcess ingress() {
        return replicas.get(Role.INGRESS).get(0);
    }

    public ServiceProcess connector() {
        return replicas.get(Role.CONNECTOR).get(0);
    }

    /** Session-service replica 0: the one the ingress's stream URLs name. */
    public ServiceProcess session() {
        return replicas.get(Role.SESSION).get(0);
    }

    public List<ServiceProcess> sessions() {
        return replicas(Role.SESSION);
    }

    /** Every service process: sessions, connectors, ingresses. */
    public List<ServiceProcess> services() {
        return Stream.of(Role.values())
                .flatMap(role -> replicas.get(role).stream())
                .toList();
    }

    /** Every process it started (broker, PostgreSQL, simulators, services), in the order they were started. */
    public synchronized List<ChildProcess> processes() {
        return List.copyOf(started);
    }

    /** The first of the API keys the ingress accepts. */
    public String apiKey() {
        return apiKey;
    }

    /** An ingress client with {@link #apiKey()}, on ingress replica 0. */
    public IngressClient ingressClient() {
        return new IngressClient(ingress().baseUrl(), apiKey);
    }

    /**
     * A stream token of {@link #apiKey()}'s session, as a backend gets it ({@code POST
     * /v1/sessions/{id}/token}, which creates the session), valid 10 minutes.
     */
    public String streamToken(String sessionId) {
        return streamToken(sessionId, Duration.ofMinutes(10));
    }

    /** The same, re-signed to be valid for {@code ttl} (longer than the ingress's, for benchmarks). */
    public String streamToken(String sessionId, Duration ttl) {
        try {
            HttpResponse<String> minted = ingressClient().call("POST", sessionId, "/token");
            if (minted.statusCode() != 200) {
                throw new IllegalStateException("POST /token for " + sessionId + ": " + minted.statusCode());
            }
            String token = EventJson.mapper()
                    .readTree(minted.body())
                    .path("streamToken")
                    .asText();
            TokenClaims claims = signer.verify(token, TokenKind.STREAM, sessionId);
            return signer.sign(TokenKind.STREAM, sessionId, claims.owner(), claims.streamKey(), ttl);
        } catch (IOException | TokenRejectedException e) {
            throw new IllegalStateException("no stream token for " + sessionId, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops every process it started, the last started first; deletes the broker's and the database's data. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<ChildProcess> reverse = new ArrayList<>(started);
        Collections.reverse(reverse);
        reverse.forEach(ChildProcess::stop);
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is no failure
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: this is the hook
        }
    }
}
