package dev.rigtel.collector.broker;

import java.util.List;

/**
 * The MQTT 5 PUBLISH properties a broker forwards unchanged to subscribers (MQTT 5 section 3.3.2.3).
 * Message expiry is kept apart, as an instant, in {@link BrokerMessage}; topic aliases and
 * subscription identifiers belong to one connection and are never forwarded.
 *
 * @param payloadFormatUtf8 null if absent, else whether the payload is declared UTF-8
 * @param contentType null if absent
 * @param responseTopic null if absent
 * @param correlationData null if absent
 * @param userProperties name/value pairs in order, duplicates allowed
 */
public record MessageProperties(
        Boolean payloadFormatUtf8,
        String contentType,
        String responseTopic,
        byte[] correlationData,
        List<UserProperty> userProperties) {

    public static final MessageProperties NONE = new MessageProperties(null, null, null, null, List.of());

    public MessageProperties {
        userProperties = List.copyOf(userProperties);
    }

    /** One MQTT 5 user property. */
    public record UserProperty(String name, String value) {}

    public static MessageProperties json() {
        return new MessageProperties(true, "application/json", null, null, List.of());
    }
}
