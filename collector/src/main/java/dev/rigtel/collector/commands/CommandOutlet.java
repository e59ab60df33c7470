package dev.rigtel.collector.commands;

/**
 * Where {@link RigCommands} publishes: the composition root wires it to the MQTT broker. Called
 * from API worker threads, the scheduler and MQTT intake; an implementation must not block.
 */
@FunctionalInterface
public interface CommandOutlet {

    /**
     * Publishes one message.
     *
     * @param qos 0 or 1
     * @param expirySeconds the MQTT 5 Message Expiry Interval (MQTT 5 section 3.3.2.3.3): a message
     *     not delivered within it is dropped, so a rig that reconnects late never gets a stale
     *     command; -1 for none
     */
    void publish(String topic, byte[] payload, int qos, boolean retain, long expirySeconds);
}
