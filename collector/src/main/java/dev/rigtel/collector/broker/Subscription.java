package dev.rigtel.collector.broker;

/**
 * One client's subscription (section 3.8; MQTT 5 section 3.8.3.1 for the options).
 *
 * @param filter the topic filter as subscribed, {@code $share/{ShareName}/{filter}} for a shared
 *     subscription (MQTT 5 section 4.8.2)
 * @param qos the granted maximum QoS, 0..2
 * @param noLocal MQTT 5: do not send this client its own messages
 * @param retainAsPublished MQTT 5: keep the RETAIN flag of forwarded messages
 * @param retainHandling MQTT 5: 0 send retained on subscribe, 1 only if the subscription is new, 2 never
 * @param subscriptionId MQTT 5 Subscription Identifier (section 3.8.2.1.2), 1..268,435,455, or 0 for none
 */
public record Subscription(
        String filter, int qos, boolean noLocal, boolean retainAsPublished, int retainHandling, int subscriptionId) {

    /** The largest Subscription Identifier, a Variable Byte Integer (MQTT 5 section 3.8.2.1.2). */
    public static final int MAX_SUBSCRIPTION_ID = 268_435_455;

    public Subscription {
        if (qos < 0 || qos > 2 || retainHandling < 0 || retainHandling > 2) {
            throw new IllegalArgumentException("qos and retainHandling must be 0..2");
        }
        if (subscriptionId < 0 || subscriptionId > MAX_SUBSCRIPTION_ID) {
            throw new IllegalArgumentException("subscriptionId must be 0..268435455");
        }
    }

    /** Without a Subscription Identifier. */
    public Subscription(String filter, int qos, boolean noLocal, boolean retainAsPublished, int retainHandling) {
        this(filter, qos, noLocal, retainAsPublished, retainHandling, 0);
    }

    /** An MQTT 3.1.1 subscription: only a filter and a QoS. */
    public static Subscription of(String filter, int qos) {
        return new Subscription(filter, qos, false, false, 0);
    }

    /** The Share Name of a shared subscription, or null. */
    public String shareName() {
        return Topics.shareName(filter);
    }

    /** The filter topics are matched against (without the {@code $share/{ShareName}/} prefix). */
    public String matchedFilter() {
        return Topics.matchedFilter(filter);
    }
}
