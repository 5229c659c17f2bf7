package io.chatstream.analytics;

import io.chatstream.contract.CloudEventHeaders;
import io.chatstream.contract.CloudEventRecords;
import io.chatstream.contract.Topics;
import io.chatstream.contract.event.EventJson;
import io.chatstream.contract.event.MessageEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * An example analytics consumer of {@code chat.events} (docs/observability.md): its own consumer
 * group, so it reads every event without touching the services or their groups, and computes
 * per-bot time to first token, tokens per second and error rates from the events alone.
 *
 * <pre>
 * java -cp … io.chatstream.analytics.AnalyticsMain [bootstrap] [--group=analytics-example] [--once]
 * </pre>
 *
 * Prints a table every 10 s, or once when caught up with {@code --once}.
 */
public final class AnalyticsMain {

    private AnalyticsMain() {}

    public static void main(String[] args) {
        String bootstrap = "127.0.0.1:9092";
        String group = "analytics-example";
        boolean once = false;
        for (String a : args) {
            if (a.equals("--once")) {
                once = true;
            } else if (a.startsWith("--group=")) {
                group = a.substring(8);
            } else {
                bootstrap = a;
            }
        }
        BotAnalytics analytics = run(bootstrap, group, once ? Duration.ofSeconds(3) : null);
        System.out.print(analytics.table());
    }

    /**
     * Reads {@code chat.events} from the group's committed position (the beginning for a new
     * group). With {@code idle} set, returns once no record came for that long; else forever.
     */
    public static BotAnalytics run(String bootstrap, String group, Duration idle) {
        BotAnalytics analytics = new BotAnalytics();
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                // Aborted transactions never reach a client; they must not count here either.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                5000);
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.EVENTS));
            long lastRecord = System.nanoTime();
            long lastPrint = System.nanoTime();
            while (true) {
                var records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, byte[]> r : records) {
                    String time = CloudEventRecords.header(r.headers(), CloudEventHeaders.TIME);
                    Instant at = time != null ? Instant.parse(time) : Instant.ofEpochMilli(r.timestamp());
                    try {
                        analytics.accept(EventJson.decode(r.value(), MessageEvent.class), at);
                    } catch (RuntimeException e) {
                        // Not a message event (or a newer shape): analytics skip what they do not know.
                    }
                }
                if (!records.isEmpty()) {
                    lastRecord = System.nanoTime();
                    consumer.commitAsync();
                }
                if (idle != null && System.nanoTime() - lastRecord > idle.toNanos()) {
                    consumer.commitSync();
                    return analytics;
                }
                if (idle == null && System.nanoTime() - lastPrint > 10_000_000_000L) {
                    System.out.print(analytics.table());
                    lastPrint = System.nanoTime();
                }
            }
        }
    }
}
