package dev.rigtel.collector.live;

/**
 * Where {@link LiveTopics} sends the messages it derives; the composition root wires it to the MQTT
 * broker. Called on ingest threads (Netty event loops, the tick thread), sometimes with a rig's lock
 * held so that one rig's messages leave in the order they were made (a retained state must not be
 * overtaken by an older one): an implementation must copy what it needs, hand the work on and return
 * at once, never block and never call back into the {@link dev.rigtel.collector.ingest.IngestService}. It owns the payload array.
 */
@FunctionalInterface
public interface LiveOutlet {

    /** Publishes nothing: live topics are off, and {@link LiveTopics} skips encoding altogether. */
    LiveOutlet NONE = (topic, payload, qos, retain) -> {};

    /**
     * Publishes one message.
     *
     * @param qos 0 or 1
     * @param retain true to make it the topic's retained message (MQTT 3.1.1 section 3.3.1.3)
     */
    void publish(String topic, byte[] payload, int qos, boolean retain);

    /**
     * Whether a non-retained message on {@code topic} would reach anyone now; when not, {@link
     * LiveTopics} does not make it (the trace of each IMU batch, the one live message per batch).
     * Must be as cheap as a map lookup. By default everything is wanted.
     */
    default boolean wanted(String topic) {
        return true;
    }
}
