package dev.rigtel.collector.broker;

/**
 * One client's subscription (section 3.8; MQTT 5 section 3.8.3.1 for the options).
 *
 * @param filter the topic filter
 * @param qos the granted maximum QoS, 0..2
 * @param noLocal MQTT 5: do not send this client its own messages
 * @param retainAsPublished MQTT 5: keep the RETAIN flag of forwarded messages
 * @param retainHandling MQTT 5: 0 send retained on subscribe, 1 only if the subscription is new, 2 never
 */
public record Subscription(String filter, int qos, boolean noLocal, boolean retainAsPublished, int retainHandling) {

    public Subscription {
        if (qos < 0 || qos > 2 || retainHandling < 0 || retainHandling > 2) {
            throw new IllegalArgumentException("qos and retainHandling must be 0..2");
        }
    }

    /** An MQTT 3.1.1 subscription: only a filter and a QoS. */
    public static Subscription of(String filter, int qos) {
        return new Subscription(filter, qos, false, false, 0);
    }
}
