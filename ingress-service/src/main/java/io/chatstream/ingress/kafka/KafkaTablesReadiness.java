package io.chatstream.ingress.kafka;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until session owners and idempotency keys are loaded: answering earlier could be wrong. */
@Readiness
@ApplicationScoped
public class KafkaTablesReadiness implements HealthCheck {

    private final IngressKafka kafka;

    public KafkaTablesReadiness(IngressKafka kafka) {
        this.kafka = kafka;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("ingress-tables")
                .status(kafka.loaded())
                .build();
    }
}
