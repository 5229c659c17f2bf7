package io.chatstream.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatstream.localkafka.KRaftBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two replicas of a table on a real broker: what each reads, and who wins a race. */
class KafkaTableTest {

    private static KRaftBroker broker;
    private static Map<String, Object> kafka;
    private static Producer<String, byte[]> producer;
    private static KafkaClients clients;
    private final List<KafkaTable> tables = new ArrayList<>();

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KRaftBroker.start(Files.createTempDirectory(Path.of("target"), "kafka-"), 0, 0);
        kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
        producer = new KafkaProducer<>(kafka, new StringSerializer(), new ByteArraySerializer());
        clients = new KafkaClients("test", kafka) {
            @Override
            public List<ClientRole> roles() {
                return List.of(KafkaTable.READER);
            }
        };
        try (Admin admin = Admin.create(kafka)) {
            admin.createTopics(List.of(new NewTopic("first", 2, (short) 1), new NewTopic("last", 2, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopBroker() {
        producer.close();
        broker.close();
    }

    @org.junit.jupiter.api.AfterEach
    void closeTables() {
        tables.forEach(KafkaTable::close);
    }

    private KafkaTable table(String topic, KafkaTable.Merge merge) {
        KafkaTable table = new KafkaTable(topic, clients.consumer(KafkaTable.READER), producer, merge, v -> false);
        table.start();
        tables.add(table);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(table::loaded);
        return table;
    }

    @Test
    void racingReplicasAgreeOnTheFirstWriter() throws Exception {
        KafkaTable a = table("first", KafkaTable.Merge.firstWriterWins(v -> false));
        KafkaTable b = table("first", KafkaTable.Merge.firstWriterWins(v -> false));
        for (int i = 0; i < 20; i++) {
            String key = "key-" + i;
            CompletableFuture<byte[]> fromA = a.write(key, bytes("a"));
            CompletableFuture<byte[]> fromB = b.write(key, bytes("b"));
            String winnerA = text(fromA.get(10, TimeUnit.SECONDS));
            String winnerB = text(fromB.get(10, TimeUnit.SECONDS));
            assertThat(winnerA).as(key).isEqualTo(winnerB);
            // A later writer does not change it.
            assertThat(text(a.write(key, bytes("late")).get(10, TimeUnit.SECONDS)))
                    .isEqualTo(winnerA);
        }
    }

    @Test
    void theLastWriterWinsWhereThatIsTheMerge() throws Exception {
        KafkaTable a = table("last", KafkaTable.Merge.lastWriterWins());
        KafkaTable b = table("last", KafkaTable.Merge.lastWriterWins());
        a.write("conv", bytes("1")).get(10, TimeUnit.SECONDS);
        assertThat(text(b.write("conv", bytes("2")).get(10, TimeUnit.SECONDS))).isEqualTo("2");
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> a.get("conv").map(KafkaTableTest::text), Optional.of("2")::equals);
        b.delete("conv").get(10, TimeUnit.SECONDS);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> a.get("conv")
                .isEmpty());
    }

    @Test
    void aNewReplicaLoadsWhatWasWrittenBefore() throws Exception {
        KafkaTable a = table("last", KafkaTable.Merge.lastWriterWins());
        a.write("before", bytes("kept")).get(10, TimeUnit.SECONDS);
        KafkaTable later = table("last", KafkaTable.Merge.lastWriterWins());
        assertThat(later.get("before").map(KafkaTableTest::text)).contains("kept");
    }

    @Test
    void aPutIsInMemoryOnceAcknowledgedWithoutTheReader() throws Exception {
        // Never started: a write() would wait for the reader forever.
        KafkaTable unread = new KafkaTable(
                "last", clients.consumer(KafkaTable.READER), producer, KafkaTable.Merge.lastWriterWins(), v -> false);
        tables.add(unread);
        List<String> changed = new ArrayList<>();
        unread.onChange((key, value) -> changed.add(key));

        assertThat(text(unread.put("mine", bytes("pending")).get(10, TimeUnit.SECONDS)))
                .isEqualTo("pending");

        assertThat(unread.get("mine").map(KafkaTableTest::text)).contains("pending");
        assertThat(changed).containsExactly("mine");
        KafkaTable other = table("last", KafkaTable.Merge.lastWriterWins());
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> other.get("mine").map(KafkaTableTest::text), Optional.of("pending")::equals);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
