package dev.rigtel.collector.broker;

/**
 * Where a {@link BrokerSession} sends packets while its client is connected: the transport
 * implements it (a Netty channel). Called with the session's lock held, from any thread; an outlet
 * must hand the work to its own I/O thread and return at once, keeping the call order.
 */
public interface Outlet {

    /**
     * Sends PUBLISH.
     *
     * @param packetId the packet identifier for QoS 1 and 2, 0 for QoS 0
     * @param message the message at the QoS it is delivered with, RETAIN flag already decided
     * @param dup true when this is a redelivery (section 3.3.1.1)
     */
    void publish(int packetId, BrokerMessage message, boolean dup);

    /** Sends PUBREL for an outgoing QoS 2 message the client has answered with PUBREC. */
    void pubrel(int packetId);

    /** False while the transport's write buffer is full: QoS 0 messages are then dropped. */
    boolean writable();

    /** Closes the connection because another connection took the session over (section 3.1.4-2). */
    void takenOver();

    /** The largest packet the client accepts (MQTT 5 Maximum Packet Size), or Long.MAX_VALUE. */
    long maximumPacketBytes();
}
