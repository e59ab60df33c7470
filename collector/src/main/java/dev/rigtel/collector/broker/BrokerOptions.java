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
 * @param maxSessionExpirySeconds the longest a session outlives its connection (default 7 days): an
 *     MQTT 5 Session Expiry Interval is cut to it, and an MQTT 3.1.1 persistent session (CleanSession=0)
 *     ends that long after its client went away (section 4.1 lets a server discard session state)
 * @param maxQueuedBytes bytes of messages one session holds, queued or awaiting acknowledgement
 *     (default 1 MiB); beyond it the oldest queued is dropped, and counted
 * @param maxQueuedBytesTotal bytes of such messages in all sessions (default 32 MiB); beyond it a new
 *     one is dropped (counted): with {@code maxRetainedBytes} this bounds the broker's memory and its
 *     state file, whatever clients do
 * @param maxRetainedBytes bytes of retained messages in all (default 8 MiB); beyond it new ones are
 *     delivered but not retained, and counted
 * @param maxSessionsPerUser persistent sessions one username may have (default 10); a new one beyond
 *     it ends that user's longest-offline session, or is refused if all are online
 */
public record BrokerOptions(
        int maxQueuedMessages,
        int maxInflight,
        int maxRetainedMessages,
        long maxSessionExpirySeconds,
        long maxQueuedBytes,
        long maxQueuedBytesTotal,
        long maxRetainedBytes,
        int maxSessionsPerUser) {

    public static final BrokerOptions DEFAULTS =
            new BrokerOptions(1000, 32, 10_000, 7 * 24 * 3600L, 1L << 20, 32L << 20, 8L << 20, 10);

    /** With the default byte and per-user limits. */
    public BrokerOptions(
            int maxQueuedMessages, int maxInflight, int maxRetainedMessages, long maxSessionExpirySeconds) {
        this(
                maxQueuedMessages,
                maxInflight,
                maxRetainedMessages,
                maxSessionExpirySeconds,
                DEFAULTS.maxQueuedBytes(),
                DEFAULTS.maxQueuedBytesTotal(),
                DEFAULTS.maxRetainedBytes(),
                DEFAULTS.maxSessionsPerUser());
    }

    public BrokerOptions {
        if (maxQueuedMessages < 1 || maxInflight < 1 || maxInflight > 65_535 || maxRetainedMessages < 0) {
            throw new IllegalArgumentException(
                    "maxQueuedMessages >= 1, maxInflight 1..65535 and maxRetainedMessages >= 0 required");
        }
        if (maxSessionExpirySeconds < 0) {
            throw new IllegalArgumentException("maxSessionExpirySeconds must not be negative");
        }
        if (maxQueuedBytes < 1024 || maxQueuedBytesTotal < maxQueuedBytes || maxRetainedBytes < 0) {
            throw new IllegalArgumentException(
                    "maxQueuedBytes >= 1 KiB, maxQueuedBytesTotal >= maxQueuedBytes and maxRetainedBytes >= 0 required");
        }
        if (maxSessionsPerUser < 1) {
            throw new IllegalArgumentException("maxSessionsPerUser must be at least 1");
        }
    }
}
