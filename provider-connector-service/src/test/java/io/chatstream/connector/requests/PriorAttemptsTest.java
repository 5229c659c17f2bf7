package io.chatstream.connector.requests;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.connector.stream.PriorAttempt;
import io.chatstream.contract.TopicDefinitions;
import io.chatstream.contract.Topics;
import io.chatstream.contract.event.ChatRequestEvent;
import io.chatstream.contract.event.ErrorCode;
import io.chatstream.contract.event.EventJson;
import io.chatstream.contract.event.MessageEvent;
import io.chatstream.contract.event.Usage;
import io.chatstream.localkafka.KRaftBroker;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reading back what a dead connector published, from a real broker. */
class PriorAttemptsTest {

    private static KRaftBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = KRaftBroker.start(Files.createTempDirectory("prior-attempts-"), 0, 0);
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            TopicDefinitions.ensure(admin, List.of(TopicDefinitions.events()), Duration.ofSeconds(30));
        }
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void eachMessageGetsItsLastSeqResetsTextSinceTheLastResetAndTerminal() {
        Instant accepted = Instant.now();
        MessageEvent.Completed completed = MessageEvent.completed("s2", "ended", 2, "ab", null, Usage.none());
        publish(
                MessageEvent.started("s1", "cut", "demo", "demo"),
                MessageEvent.delta("s1", "cut", 1, "Hel"),
                MessageEvent.started("s2", "ended", "demo", "demo"),
                MessageEvent.delta("s2", "ended", 1, "ab"),
                MessageEvent.delta("s1", "cut", 2, "lo"),
                completed,
                MessageEvent.started("s3", "twice", "demo", "demo"),
                MessageEvent.delta("s3", "twice", 1, "old"),
                MessageEvent.reset("s3", "twice", 2),
                MessageEvent.delta("s3", "twice", 3, "new"),
                MessageEvent.started("s9", "other", "demo", "demo"));

        Map<String, PriorAttempt> priors = new PriorAttempts(PriorAttemptsTest::reader, Duration.ofSeconds(20))
                .of(List.of(
                        request("s1", "cut", accepted),
                        request("s2", "ended", accepted),
                        request("s3", "twice", accepted),
                        request("s4", "never", accepted)));

        assertThat(priors).containsOnlyKeys("cut", "ended", "twice");
        assertThat(priors.get("cut")).isEqualTo(new PriorAttempt(2, 0, "Hello", java.util.Optional.empty()));
        assertThat(priors.get("ended").terminal()).contains(completed);
        assertThat(priors.get("twice").restartedBefore()).isTrue();
        assertThat(priors.get("twice").textSoFar()).isEqualTo("new");
        assertThat(priors.get("twice").lastSeq()).isEqualTo(3);
        assertThat(ErrorCode.CONNECTOR_RESTARTED.retryable()).isTrue();
    }

    @Test
    void nothingToReadIsAnEmptyAnswer() {
        assertThat(new PriorAttempts(PriorAttemptsTest::reader, Duration.ofSeconds(20)).of(List.of()))
                .isEmpty();
    }

    private static ChatRequestEvent request(String session, String messageId, Instant accepted) {
        return new ChatRequestEvent(session, messageId, "demo", "demo", "hi", null, "k", accepted);
    }

    private static void publish(MessageEvent... events) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            for (MessageEvent event : events) {
                producer.send(new ProducerRecord<>(Topics.EVENTS, event.sessionId(), EventJson.encode(event)));
            }
        }
    }

    private static KafkaConsumer<String, byte[]> reader() {
        return new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringDeserializer(),
                new ByteArrayDeserializer());
    }
}
