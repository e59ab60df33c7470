package dev.rigtel.collector.broker;

/**
 * A client's Last Will (section 3.1.2.5; MQTT 5 section 3.1.3.2 for the delay).
 *
 * @param message published when the connection ends without a normal DISCONNECT
 * @param delaySeconds MQTT 5 Will Delay Interval: wait this long first; a reconnect within it cancels the will
 */
public record Will(BrokerMessage message, long delaySeconds) {}
