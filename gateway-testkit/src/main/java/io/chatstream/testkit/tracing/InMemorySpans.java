package io.chatstream.testkit.tracing;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Tests only: a service's spans go to memory. With {@code quarkus.otel.traces.exporter=cdi} (the
 * default) Quarkus picks up this bean, found through this jar's Jandex index; a test injects the
 * {@link InMemorySpanExporter} to read them.
 */
public class InMemorySpans {

    @Produces
    @Singleton
    InMemorySpanExporter exporter() {
        return InMemorySpanExporter.create();
    }
}
