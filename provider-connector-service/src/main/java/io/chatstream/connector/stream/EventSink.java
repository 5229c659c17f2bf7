package io.chatstream.connector.stream;

import io.chatstream.contract.event.MessageEvent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Where a message's events go (Kafka in the service, a list in tests). Called in event order. */
public interface EventSink {

    /** @param key the record key: the session's stream key ({@code ChatRequestEvent#kafkaKey}) */
    void publish(String provider, String key, MessageEvent event);

    /**
     * Publishes the event and tells when it is stored: on Kafka, once the broker acknowledged it
     * (acks=all); failed when it could not be. A request is finished only once its terminal event
     * is stored, so that its offset is never committed before the answer's end is safe. A sink in
     * memory stores at once.
     */
    default CompletionStage<Void> publishStored(String provider, String key, MessageEvent event) {
        publish(provider, key, event);
        return CompletableFuture.completedFuture(null);
    }
}
