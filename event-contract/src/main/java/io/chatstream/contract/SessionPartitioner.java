package io.chatstream.contract;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Which partition holds a session's records on a topic keyed by sessionId ({@code chat.events},
 * {@code chat.requests.<provider>}): Kafka's built-in partitioner for a keyed record, murmur2 of the
 * key's UTF-8 bytes (what {@code StringSerializer} sends) modulo the partition count. Readers that
 * look for a session's events without reading every partition compute it here, so that they agree
 * with the producers, which never set a partition themselves.
 */
public final class SessionPartitioner {

    private SessionPartitioner() {}

    /**
     * @param partitions the topic's partition count; a topic that grows remaps its sessions
     *     (docs/deployment.md)
     */
    public static int partition(String sessionId, int partitions) {
        if (partitions <= 0) {
            throw new IllegalArgumentException("a topic has at least one partition, not " + partitions);
        }
        return Utils.toPositive(Utils.murmur2(sessionId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
