package io.chatstream.ingress;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chatstream.contract.CloudEventRecords;
import io.chatstream.localkafka.KafkaBrokerTestResource;
import io.chatstream.localpostgres.PostgresTestResource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The POST's trace crosses the Kafka hop, and the ingress's Kafka meters are at /q/metrics. */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(PostgresTestResource.class)
class ObservabilityTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Inject
    InMemorySpanExporter spans;

    @Test
    void theRequestRecordContinuesTheTraceOfThePost() {
        String session = MessagesResourceTest.newSession();
        int status = given().header("Authorization", "Bearer " + MessagesResourceTest.KEY)
                .header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01")
                .contentType("application/json")
                .body("{\"bot\":\"demo\",\"text\":\"trace me\"}")
                .post("/v1/sessions/{s}/messages", session)
                .then()
                .extract()
                .statusCode();
        assertThat(status).isEqualTo(202);

        ConsumerRecord<String, byte[]> record =
                RequestTopicReader.recordsOf("demo", session, 1).get(0);
        String traceparent = CloudEventRecords.header(record.headers(), "traceparent");
        assertThat(traceparent).startsWith("00-" + TRACE_ID + "-").endsWith("-01");

        // The server span of the POST is the parent the record names.
        String parentSpanId = traceparent.split("-")[2];
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<SpanData> server = spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getTraceId().equals(TRACE_ID))
                    .toList();
            assertThat(server).anySatisfy(s -> assertThat(s.getSpanId()).isEqualTo(parentSpanId));
        });
    }

    @Test
    void kafkaProducerMetersArePublished() {
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("kafka_producer_request_latency_avg").contains("http_server_requests_seconds");
    }
}
