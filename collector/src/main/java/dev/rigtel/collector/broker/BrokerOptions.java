package dev.rigtel.collector.broker;

/**
 * Limits of the broker core, each with a documented default.
 *
 * @param maxQueuedMessages QoS 1/2 messages held per session while its client is offline or its
 *     in-flight window is full (default 1000); beyond it the oldest is dropped and counted
 * @param maxInflight outgoing QoS 1/2 messages awaiting acknowledgement per connection, for MQTT
 *     3.1.1 clients and as a cap on an MQTT 5 client's Receive Maximum (default 32)
 * @param maxRetainedMessages retained messages held in all (default 10000); beyond it new ones are
 *     delivered but not retained, and counted
 * @param maxSessionExpirySeconds the longest MQTT 5 Session Expiry Interval granted (default 7 days);
 *     MQTT 3.1.1 persistent sessions (CleanSession=0) never expire
 */
public record BrokerOptions(
        int maxQueuedMessages, int maxInflight, int maxRetainedMessages, long maxSessionExpirySeconds) {

    public static final BrokerOptions DEFAULTS = new BrokerOptions(1000, 32, 10_000, 7 * 24 * 3600L);

    public BrokerOptions {
        if (maxQueuedMessages < 1 || maxInflight < 1 || maxInflight > 65_535 || maxRetainedMessages < 0) {
            throw new IllegalArgumentException(
                    "maxQueuedMessages >= 1, maxInflight 1..65535 and maxRetainedMessages >= 0 required");
        }
        if (maxSessionExpirySeconds < 0) {
            throw new IllegalArgumentException("maxSessionExpirySeconds must not be negative");
        }
    }
}
