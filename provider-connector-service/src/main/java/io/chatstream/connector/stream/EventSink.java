package io.chatstream.connector.stream;

import io.chatstream.contract.event.MessageEvent;

/** Where a message's events go (Kafka in the service, a list in tests). Called in event order. */
public interface EventSink {

    void publish(String provider, MessageEvent event);
}
