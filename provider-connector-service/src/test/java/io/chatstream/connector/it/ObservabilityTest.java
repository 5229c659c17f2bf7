package io.chatstream.connector.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.chatstream.contract.CloudEventHeaders;
import io.chatstream.contract.CloudEventRecords;
import io.chatstream.contract.Topics;
import io.chatstream.contract.event.ChatRequestEvent;
import io.chatstream.contract.event.EventJson;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.contract.event.MessageIds;
import io.chatstream.localkafka.KafkaBrokerTestResource;
import io.chatstream.localpostgres.PostgresTestResource;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * After one message: the trace of the request record continues across the second Kafka hop (every
 * event of the message carries a traceparent of the same trace, whose parent is the connector's
 * span, itself a child of the request's), and the connector's meters are at /q/metrics.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(OpenAiSimulatorResource.class)
class ObservabilityTest {

    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final String INGRESS_SPAN = "b7ad6b7169203331";

    @Inject
    InMemorySpanExporter spans;

    @Test
    void oneMessageLeavesItsTraceOnEveryEventAndItsMeters() {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() ->
                        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP")));
        String bootstrap = KafkaBrokerTestResource.broker().bootstrapServers();
        Instant now = Instant.now();
        ChatRequestEvent request = new ChatRequestEvent(
                "s-" + UUID.randomUUID(), MessageIds.newId(now), "openai", "openai", "trace me", Map.of(), "k", now);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                Topics.requests("openai"),
                null,
                request.sessionId(),
                EventJson.encode(request),
                CloudEventRecords.headers(CloudEventHeaders.TYPE_REQUEST, request.messageId(), "/test", now));
        record.headers().add("traceparent", ("00-" + TRACE_ID + "-" + INGRESS_SPAN + "-01").getBytes());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(record);
        }

        List<String> traceparents = eventsTraceparents(bootstrap, request.messageId());
        assertThat(traceparents).hasSizeGreaterThan(2).allSatisfy(tp -> assertThat(tp)
                .startsWith("00-" + TRACE_ID + "-")
                .isEqualTo(traceparents.get(0)));
        String connectorSpan = traceparents.get(0).split("-")[2];

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<SpanData> found = spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getSpanId().equals(connectorSpan))
                    .toList();
            assertThat(found).hasSize(1);
            SpanData span = found.get(0);
            assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
            assertThat(span.getParentSpanId()).isEqualTo(INGRESS_SPAN);
            assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER);
            assertThat(span.getName()).isEqualTo("chat.requests.openai process");
        });

        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .contains("gateway_connector_messages_total{bot=\"openai\",code=\"none\",outcome=\"completed\"")
                .contains("gateway_connector_tokens_total{bot=\"openai\",provider=\"openai\"")
                .contains("gateway_connector_first_token_seconds_bucket{bot=\"openai\",provider=\"openai\"")
                .contains("gateway_connector_inter_token_seconds_bucket{bot=\"openai\",provider=\"openai\"")
                .contains(
                        "gateway_connector_vendor_request_seconds_count{bot=\"openai\",code=\"none\",outcome=\"completed\"")
                .contains("gateway_connector_streams_in_flight")
                .contains("kafka_consumer_fetch_manager_records_lag_max")
                .contains("kafka_producer_record_send_total");
    }

    /** The traceparent header of each event of the message, in order, once its terminal event is there. */
    private static List<String> eventsTraceparents(String bootstrap, String messageId) {
        List<String> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            boolean[] ended = {false};
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    MessageEvent event = EventJson.decode(r.value(), MessageEvent.class);
                    if (messageId.equals(event.messageId())) {
                        found.add(CloudEventRecords.header(r.headers(), "traceparent"));
                        ended[0] |= event.isTerminal();
                    }
                }
                return ended[0];
            });
        }
        return found;
    }
}
