package io.chatstream.ingress.kafka;

import io.chatstream.contract.CloudEventHeaders;
import io.chatstream.contract.CloudEventRecords;
import io.chatstream.contract.Topics;
import io.chatstream.contract.event.CancelCommandEvent;
import io.chatstream.contract.event.ChatRequestEvent;
import io.chatstream.contract.event.EventJson;
import io.chatstream.ingress.tracing.TraceHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;

/**
 * Writes accepted requests to {@code chat.requests.<provider>}, keyed by the session's stream key
 * so a session stays ordered (and two API keys' sessions of one id are two streams).
 */
@ApplicationScoped
public class RequestPublisher {

    static final String SOURCE = "/ingress";

    private final IngressKafka kafka;
    private final TraceHeaders trace;

    public RequestPublisher(IngressKafka kafka, TraceHeaders trace) {
        this.kafka = kafka;
        this.trace = trace;
    }

    /** Completes once every in-sync replica has the request. Carries the POST's trace context. */
    public CompletableFuture<RecordMetadata> publish(ChatRequestEvent request) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                Topics.requests(request.provider()),
                null,
                request.kafkaKey(),
                EventJson.encode(request),
                CloudEventRecords.headers(
                        CloudEventHeaders.TYPE_REQUEST, request.messageId(), SOURCE, request.acceptedAt()));
        trace.inject(record.headers());
        return send(record);
    }

    /**
     * A cancel travels on the provider's request topic, keyed like the request by the session's
     * stream key: it lands on the partition of the connector instance that holds the stream.
     */
    public CompletableFuture<RecordMetadata> cancel(String provider, String streamKey, CancelCommandEvent cancel) {
        return send(new ProducerRecord<>(
                Topics.requests(provider),
                null,
                streamKey,
                EventJson.encode(cancel),
                CloudEventRecords.headers(
                        CloudEventHeaders.TYPE_CANCEL, cancel.messageId() + ":cancel", SOURCE, cancel.requestedAt())));
    }

    /**
     * Ends a deleted session's stream: a tombstone keyed by its stream key on {@code chat.events},
     * on which the session-service closes the session's sockets and forgets its events.
     */
    public CompletableFuture<RecordMetadata> sessionDeleted(String streamKey) {
        Instant now = Instant.now();
        return send(new ProducerRecord<>(
                Topics.EVENTS,
                null,
                streamKey,
                null,
                CloudEventRecords.headers(
                        CloudEventHeaders.TYPE_SESSION_DELETED, streamKey + ":deleted", SOURCE, now)));
    }

    private CompletableFuture<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
        CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
        try {
            kafka.producer().send(record, (metadata, error) -> {
                if (error != null) {
                    acked.completeExceptionally(error);
                } else {
                    acked.complete(metadata);
                }
            });
        } catch (KafkaException e) {
            acked.completeExceptionally(e);
        }
        return acked;
    }
}
