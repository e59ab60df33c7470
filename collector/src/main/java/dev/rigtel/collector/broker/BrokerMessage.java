package dev.rigtel.collector.broker;

import java.util.List;

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
 * @param subscriptionIds the MQTT 5 Subscription Identifiers of the receiving session's subscriptions
 *     that matched (section 3.3.2.3.8): set on the copy routed to one session, empty as published
 */
public record BrokerMessage(
        String topic,
        byte[] payload,
        int qos,
        boolean retain,
        MessageProperties properties,
        long expiresAtMillis,
        List<Integer> subscriptionIds) {

    public static final long NEVER = Long.MAX_VALUE;

    public BrokerMessage {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos must be 0..2");
        }
        subscriptionIds = subscriptionIds.isEmpty() ? List.of() : List.copyOf(subscriptionIds);
    }

    /** As published: no Subscription Identifiers. */
    public BrokerMessage(
            String topic, byte[] payload, int qos, boolean retain, MessageProperties properties, long expiresAtMillis) {
        this(topic, payload, qos, retain, properties, expiresAtMillis, List.of());
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
        return flag == retain
                ? this
                : new BrokerMessage(topic, payload, qos, flag, properties, expiresAtMillis, subscriptionIds);
    }

    public BrokerMessage withQos(int newQos) {
        return newQos == qos
                ? this
                : new BrokerMessage(topic, payload, newQos, retain, properties, expiresAtMillis, subscriptionIds);
    }

    /** The copy for one session, carrying its matching subscriptions' identifiers. */
    public BrokerMessage withSubscriptionIds(List<Integer> ids) {
        return ids.equals(subscriptionIds)
                ? this
                : new BrokerMessage(topic, payload, qos, retain, properties, expiresAtMillis, ids);
    }
}
