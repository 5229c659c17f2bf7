package io.chatstream.session.relay;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready until the reader has re-read the replay window: a replica that took clients before
 * would answer {@code from}/{@code cursor} reconnects with {@code cursor_expired} by mistake.
 */
@Readiness
@ApplicationScoped
public class ReaderReadinessCheck implements HealthCheck {

    private final EventReader reader;

    public ReaderReadinessCheck(EventReader reader) {
        this.reader = reader;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("chat-events-reader")
                .status(reader.caughtUp())
                .build();
    }
}
