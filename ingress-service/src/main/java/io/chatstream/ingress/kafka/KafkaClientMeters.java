package io.chatstream.ingress.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/** The ingress producer's own meters at /q/metrics ({@code kafka_producer_*}: request latency, errors, batching). */
@Startup
@Singleton
public class KafkaClientMeters {

    private final KafkaClientMetrics producer;

    public KafkaClientMeters(IngressKafka kafka, MeterRegistry registry) {
        this.producer = new KafkaClientMetrics(kafka.producer());
        producer.bindTo(registry);
    }

    @PreDestroy
    void close() {
        producer.close();
    }
}
