package io.chatstream.contract;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * How each topic is made: partitions and cleanup policy. In a cluster the operator creates them
 * (k8s/, Strimzi KafkaTopic); in the local run and the tests each service creates the topics it
 * uses if they are missing, with these settings, so that a fresh broker just works.
 */
public final class TopicDefinitions {

    /** Partitions of {@code chat.events}: bounds the parallelism of the session fan-out. */
    public static final int EVENT_PARTITIONS = 8;

    /** Partitions of each {@code chat.requests.<provider>}: bounds one vendor's connector replicas. */
    public static final int REQUEST_PARTITIONS = 4;

    private TopicDefinitions() {}

    public static NewTopic events() {
        return new NewTopic(Topics.EVENTS, Optional.of(EVENT_PARTITIONS), Optional.empty())
                .configs(Map.of(
                        TopicConfig.RETENTION_MS_CONFIG,
                        String.valueOf(Duration.ofDays(1).toMillis())));
    }

    public static NewTopic requests(String provider) {
        return new NewTopic(Topics.requests(provider), Optional.of(REQUEST_PARTITIONS), Optional.empty())
                .configs(Map.of(
                        TopicConfig.RETENTION_MS_CONFIG,
                        String.valueOf(Duration.ofDays(1).toMillis())));
    }

    /** Creates the topics that do not exist yet; existing ones are left as they are. */
    public static void ensure(Admin admin, Collection<NewTopic> topics, Duration timeout) {
        admin.createTopics(new ArrayList<>(topics)).values().values().forEach(future -> {
            try {
                future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException(
                            "cannot create topic: " + e.getCause().getMessage(), e);
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("Kafka did not create the topics within " + timeout, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }
}
