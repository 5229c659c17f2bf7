package io.chatstream.ingress.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;

/**
 * Puts the current trace context (the POST's server span) on a Kafka record as W3C {@code
 * traceparent}/{@code tracestate} headers: the connector continues that trace, so one trace runs
 * from the POST to the message's last event (docs/observability.md).
 */
@ApplicationScoped
public class TraceHeaders {

    private static final TextMapSetter<Headers> SETTER = (headers, key, value) -> {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    };

    private final TextMapPropagator propagator;

    public TraceHeaders(OpenTelemetry otel) {
        this.propagator = otel.getPropagators().getTextMapPropagator();
    }

    public void inject(Headers headers) {
        propagator.inject(Context.current(), headers, SETTER);
    }
}
