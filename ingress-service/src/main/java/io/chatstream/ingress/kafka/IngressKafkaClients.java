package io.chatstream.ingress.kafka;

import io.chatstream.ingress.config.IngressConfig;
import io.chatstream.runtime.kafka.ClientRole;
import io.chatstream.runtime.kafka.KafkaClients;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/** The ingress's Kafka clients, all from the one {@code kafka.*} configuration: what each role adds to it. */
@Singleton
public class IngressKafkaClients extends KafkaClients {

    /** Creates the topics the ingress writes to. */
    static final ClientRole ADMIN = new ClientRole("admin", Map.of());

    private final ClientRole requestsProducer;

    @Inject
    public IngressKafkaClients(@Identifier("default-kafka-broker") Map<String, Object> kafka, IngressConfig config) {
        this(kafka, config.kafka().sendTimeout());
    }

    IngressKafkaClients(Map<String, Object> kafka, Duration sendTimeout) {
        super("ingress", kafka);
        this.requestsProducer = requestsProducer(sendTimeout);
    }

    /**
     * The one producer of everything the ingress writes (requests and cancels). Acks
     * from every in-sync replica and idempotent: a 202 means the request is kept. Timeouts are
     * derived from the send timeout so that the producer has given up on a record before the client
     * is told 503, and a 503 never hides a request that is delivered later.
     */
    private static ClientRole requestsProducer(Duration sendTimeout) {
        long budget = sendTimeout.toMillis();
        return new ClientRole(
                "producer",
                Map.of(
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        "true",
                        ProducerConfig.LINGER_MS_CONFIG,
                        "1",
                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                        String.valueOf(budget / 2),
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                        String.valueOf(budget * 3 / 4 - 1),
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                        String.valueOf(budget * 3 / 4)));
    }

    ClientRole requestsProducer() {
        return requestsProducer;
    }

    @Override
    public List<ClientRole> roles() {
        return List.of(requestsProducer, ADMIN);
    }
}
