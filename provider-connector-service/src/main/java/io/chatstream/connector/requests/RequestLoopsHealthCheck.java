package io.chatstream.connector.requests;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when every provider's request loop is polling (the Kafka check covers the broker). */
@Readiness
@ApplicationScoped
public class RequestLoopsHealthCheck implements HealthCheck {

    private final ConnectorLifecycle lifecycle;

    public RequestLoopsHealthCheck(ConnectorLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("request-loops")
                .status(lifecycle.allLoopsRunning())
                .build();
    }
}
