package dev.rigtel.collector.broker;

/**
 * An application message as the broker holds and routes it. Immutable; the payload array is never
 * written after construction.
 *
 * @param topic the topic name
 * @param payload the payload bytes
 * @param qos the QoS it was published at, 0..2
 * @param retain the RETAIN flag it was published with
 * @param properties MQTT 5 properties forwarded to subscribers
 * @param expiresAtMillis epoch millis when it expires (MQTT 5 message expiry), or {@link #NEVER}
 */
public record BrokerMessage(
        String topic, byte[] payload, int qos, boolean retain, MessageProperties properties, long expiresAtMillis) {

    public static final long NEVER = Long.MAX_VALUE;

    public BrokerMessage {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos must be 0..2");
        }
    }

    public static BrokerMessage of(String topic, byte[] payload, int qos, boolean retain) {
        return new BrokerMessage(topic, payload, qos, retain, MessageProperties.NONE, NEVER);
    }

    public boolean expired(long nowMillis) {
        return nowMillis >= expiresAtMillis;
    }

    /** Seconds of life left, rounded up, for the forwarded Message Expiry Interval; -1 if none. */
    public long remainingExpirySeconds(long nowMillis) {
        if (expiresAtMillis == NEVER) {
            return -1;
        }
        return Math.max(0, (expiresAtMillis - nowMillis + 999) / 1000);
    }

    public BrokerMessage withRetain(boolean flag) {
        return flag == retain ? this : new BrokerMessage(topic, payload, qos, flag, properties, expiresAtMillis);
    }

    public BrokerMessage withQos(int newQos) {
        return newQos == qos ? this : new BrokerMessage(topic, payload, newQos, retain, properties, expiresAtMillis);
    }
}
