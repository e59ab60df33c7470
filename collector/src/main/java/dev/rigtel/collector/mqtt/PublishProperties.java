package dev.rigtel.collector.mqtt;

import dev.rigtel.collector.broker.BrokerMessage;
import dev.rigtel.collector.broker.MessageProperties;
import io.netty.handler.codec.mqtt.MqttProperties;
import java.util.ArrayList;
import java.util.List;

/** Reads the MQTT 5 properties of a PUBLISH or will (MQTT 5 sections 3.3.2.3 and 3.1.3.2) into broker values. */
final class PublishProperties {

    private PublishProperties() {}

    static MessageProperties of(MqttProperties properties) {
        if (properties == null || properties.isEmpty()) {
            return MessageProperties.NONE;
        }
        Integer format = intValue(properties, MqttProperties.PAYLOAD_FORMAT_INDICATOR);
        List<MessageProperties.UserProperty> user = new ArrayList<>();
        for (MqttProperties.MqttProperty<?> p : properties.getProperties(MqttProperties.USER_PROPERTY)) {
            if (p instanceof MqttProperties.UserProperty single) {
                user.add(new MessageProperties.UserProperty(single.value().key, single.value().value));
            } else if (p instanceof MqttProperties.UserProperties many) {
                many.value().forEach(pair -> user.add(new MessageProperties.UserProperty(pair.key, pair.value)));
            }
        }
        MqttProperties.MqttProperty<?> correlation = properties.getProperty(MqttProperties.CORRELATION_DATA);
        return new MessageProperties(
                format == null ? null : format == 1,
                stringValue(properties, MqttProperties.CONTENT_TYPE),
                stringValue(properties, MqttProperties.RESPONSE_TOPIC),
                correlation == null ? null : (byte[]) correlation.value(),
                user);
    }

    /** When a message with these properties expires (Message Expiry Interval), or never. */
    static long expiresAtMillis(MqttProperties properties, long nowMillis) {
        Integer seconds = properties == null ? null : intValue(properties, MqttProperties.PUBLICATION_EXPIRY_INTERVAL);
        if (seconds == null) {
            return BrokerMessage.NEVER;
        }
        return nowMillis + Integer.toUnsignedLong(seconds) * 1000L;
    }

    static Integer intValue(MqttProperties properties, int id) {
        MqttProperties.MqttProperty<?> p = properties.getProperty(id);
        return p == null ? null : (Integer) p.value();
    }

    static String stringValue(MqttProperties properties, int id) {
        MqttProperties.MqttProperty<?> p = properties.getProperty(id);
        return p == null ? null : (String) p.value();
    }
}
