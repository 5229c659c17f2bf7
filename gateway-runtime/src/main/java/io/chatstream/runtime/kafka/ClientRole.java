package io.chatstream.runtime.kafka;

import java.util.Map;

/**
 * What one kind of Kafka client of a service is for, and the settings that make it fit: a request
 * producer is durable, a token reader hands over every record at once. The name becomes the
 * client's {@code client.id} ({@code <service>-<name>}), which names its meters and its broker-side
 * quotas and logs.
 *
 * @param name the role, e.g. {@code requests-producer}
 * @param settings the Kafka properties of this role, over the service's common ones; only a role's
 *     settings may set a {@code group.id}
 */
public record ClientRole(String name, Map<String, Object> settings) {

    public ClientRole {
        settings = Map.copyOf(settings);
    }
}
