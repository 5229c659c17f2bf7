package io.chatstream.connector.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.chatstream.contract.CloudEventHeaders;
import io.chatstream.contract.CloudEventRecords;
import io.chatstream.contract.Topics;
import io.chatstream.contract.event.CancelCommandEvent;
import io.chatstream.contract.event.ChatRequestEvent;
import io.chatstream.contract.event.EventJson;
import io.chatstream.localkafka.KafkaBrokerTestResource;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the ingress writes to a provider's request topic, written by a test: requests, cancels, records. */
final class RequestsProducer implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;

    private RequestsProducer(KafkaProducer<String, byte[]> producer) {
        this.producer = producer;
    }

    /** Once the service is ready (the broker answers, every request loop polls, its topics exist). */
    static RequestsProducer whenReady(Duration wait) {
        await().atMost(wait)
                .untilAsserted(() ->
                        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP")));
        return new RequestsProducer(new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        KafkaBrokerTestResource.broker().bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                new ByteArraySerializer()));
    }

    void send(String provider, ChatRequestEvent request) {
        send(new ProducerRecord<>(
                Topics.requests(provider),
                null,
                request.sessionId(),
                EventJson.encode(request),
                CloudEventRecords.headers(
                        CloudEventHeaders.TYPE_REQUEST, request.messageId(), "/test", Instant.now())));
    }

    void sendCancel(String provider, ChatRequestEvent request) {
        CancelCommandEvent cancel = new CancelCommandEvent(request.sessionId(), request.messageId(), Instant.now());
        send(new ProducerRecord<>(
                Topics.requests(provider),
                null,
                request.sessionId(),
                EventJson.encode(cancel),
                CloudEventRecords.headers(
                        CloudEventHeaders.TYPE_CANCEL, request.messageId() + ":cancel", "/test", Instant.now())));
    }

    /** Any record, as it is (a malformed one …). */
    void send(ProducerRecord<String, byte[]> record) {
        producer.send(record);
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
