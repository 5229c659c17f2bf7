package io.chatstream.connector.requests;

import io.chatstream.connector.config.ConnectorConfig;
import io.chatstream.connector.database.DatabaseExecutor;
import io.chatstream.connector.kafka.ConnectorKafkaClients;
import io.chatstream.connector.kafka.EventPublisher;
import io.chatstream.connector.provider.ProviderRegistry;
import io.chatstream.connector.scheduling.RecentMessages;
import io.chatstream.connector.scheduling.RequestScheduler;
import io.chatstream.connector.stream.MessageStreamer;
import io.chatstream.connector.tracing.MessageTracing;
import io.chatstream.contract.TopicDefinitions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.jboss.logging.Logger;

/**
 * Starts one request loop per served provider once the application is up (an unknown provider
 * name fails start-up here), and stops them on shutdown. Each loop first makes sure its topics
 * exist, retrying until the broker answers, so that the service starts before Kafka does and
 * readiness tells the difference.
 */
@ApplicationScoped
public class ConnectorLifecycle {

    private static final Logger LOG = Logger.getLogger(ConnectorLifecycle.class);
    private static final int RECENT_MESSAGES = 100_000;
    private static final Duration PRIOR_ATTEMPTS_TIMEOUT = Duration.ofSeconds(30);

    private final ProviderRegistry registry;
    private final ConnectorConfig config;
    private final MessageStreamer streamer;
    private final EventPublisher publisher;
    private final ConnectorKafkaClients clients;
    private final MessageTracing tracing;
    private final MeterRegistry meters;
    private final DatabaseExecutor database;
    private final List<KafkaClientMetrics> clientMetrics = new CopyOnWriteArrayList<>();
    private final List<RequestLoop> loops = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    public ConnectorLifecycle(
            ProviderRegistry registry,
            ConnectorConfig config,
            MessageStreamer streamer,
            EventPublisher publisher,
            ConnectorKafkaClients clients,
            MessageTracing tracing,
            MeterRegistry meters,
            DatabaseExecutor database) {
        this.tracing = tracing;
        this.database = database;
        this.meters = meters;
        this.registry = registry;
        this.config = config;
        this.streamer = streamer;
        this.publisher = publisher;
        this.clients = clients;
    }

    void onStart(@Observes StartupEvent event) {
        RecentMessages recent = new RecentMessages(RECENT_MESSAGES);
        registry.served().forEach((name, provider) -> {
            RequestScheduler scheduler = new RequestScheduler(name, provider, config.bots(), streamer, recent);
            RequestLoop loop = new RequestLoop(
                    name,
                    consumer(name),
                    scheduler,
                    new RequestLoopSettings(
                            config.connector().maxQueued(),
                            config.connector().handOffTimeout(),
                            config.connector().drainTimeout()),
                    tracing,
                    new PriorAttempts(this::eventsReader, PRIOR_ATTEMPTS_TIMEOUT),
                    database::full,
                    () -> clients.consumer(ConnectorKafkaClients.HAND_OFF_READER));
            loops.add(loop);
            Thread thread = new Thread(() -> prepareThenRun(name, loop), "requests-" + name);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        });
    }

    void onStop(@Observes ShutdownEvent event) {
        loops.forEach(RequestLoop::stop);
        for (Thread thread : threads) {
            try {
                // The drain: the loops hand their partitions off within the drain time, then leave.
                thread.join(config.connector().drainTimeout().plusSeconds(15).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        clientMetrics.forEach(KafkaClientMetrics::close);
    }

    /** Every request loop is subscribed and polling. */
    public boolean allLoopsRunning() {
        return !loops.isEmpty() && loops.stream().allMatch(loop -> loop.running() && !loop.stopping());
    }

    private void prepareThenRun(String provider, RequestLoop loop) {
        List<NewTopic> topics = List.of(TopicDefinitions.events(), TopicDefinitions.requests(provider));
        while (!loop.stopping()) {
            try (Admin admin = clients.admin(ConnectorKafkaClients.ADMIN)) {
                TopicDefinitions.ensure(admin, topics, Duration.ofSeconds(10));
                publisher.warmUp();
                break;
            } catch (RuntimeException e) {
                LOG.warnf("provider %s: topics not ready (%s), retrying", provider, e.getMessage());
                sleep(Duration.ofSeconds(2));
            }
        }
        // Also when stopping: run() then just closes the consumer.
        loop.run();
    }

    private KafkaConsumer<String, byte[]> consumer(String provider) {
        KafkaConsumer<String, byte[]> consumer = clients.consumer(ConnectorKafkaClients.requestsConsumer(
                provider, config.connector().instanceId()));
        // kafka_consumer_* meters, among them records_lag_max: how far the request loop is behind.
        KafkaClientMetrics metrics = new KafkaClientMetrics(consumer);
        metrics.bindTo(meters);
        clientMetrics.add(metrics);
        return consumer;
    }

    private KafkaConsumer<String, byte[]> eventsReader() {
        return clients.consumer(ConnectorKafkaClients.PRIOR_ATTEMPTS_READER);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
