package dev.rigtel.collector.mqtt;

import dev.rigtel.collector.auth.Role;
import dev.rigtel.collector.broker.BrokerSession;
import dev.rigtel.collector.ingest.Publisher;
import dev.rigtel.collector.ingest.RigId;
import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What one MQTT connection knows once CONNECT was accepted. Lives in a channel attribute and is
 * touched only on the channel's event loop; the session state that outlives the connection is the
 * {@link BrokerSession}.
 */
final class MqttSession {

    static final AttributeKey<MqttSession> KEY = AttributeKey.valueOf("rigtel.mqtt.session");

    /** A QoS 1 PUBACK or QoS 2 PUBREC not yet sent; they leave in the order the PUBLISHes arrived. */
    private static final class PendingAck {
        final int packetId;
        final MqttMessageType type;
        byte reasonCode;
        boolean ready;

        PendingAck(int packetId, MqttMessageType type) {
            this.packetId = packetId;
            this.type = type;
        }
    }

    final MqttVersion version;
    private final RigId rig;
    private final Role role;
    private final Publisher publisher;
    final String clientId;
    private final ArrayDeque<PendingAck> pendingAcks = new ArrayDeque<>();
    /** Acknowledgements made ready off the event loop (the spool's sync thread), not yet applied. */
    private final Queue<PendingAck> durableAcks = new ConcurrentLinkedQueue<>();
    /** True while a task that applies {@link #durableAcks} is queued on the event loop. */
    private final AtomicBoolean durableAcksScheduled = new AtomicBoolean();

    long pausedSinceNanos;
    boolean paused;

    /** The broker session this connection holds, and the outlet it holds it through. */
    BrokerSession broker;

    ChannelOutlet outlet;
    /** MQTT 5 topic aliases the client set (section 3.3.2.3.4), by alias. */
    final Map<Integer, String> topicAliases = new HashMap<>();
    /** The client sent DISCONNECT: no will (section 3.1.2.5). */
    boolean disconnected;
    /** MQTT 5: the client's DISCONNECT asked for its will to be published (reason 0x04). */
    boolean willOnDisconnect;
    /** MQTT 5: the CONNECT's Session Expiry Interval was 0, so DISCONNECT may not raise it. */
    boolean connectExpiryZero;
    /** MQTT 5: a Session Expiry Interval from DISCONNECT, or -1. */
    long disconnectExpirySeconds = -1;

    /** Rate limit: tokens left and when they were counted (0: not yet). */
    double tokens;

    long tokensAtNanos;
    boolean throttled;

    MqttSession(MqttVersion version, RigId rig, Role role, String clientId) {
        this.version = version;
        this.rig = rig;
        this.role = role;
        this.clientId = clientId;
        this.publisher =
                new Publisher(rig, role == Role.RIG || role == Role.ADMIN, role == Role.SLATE || role == Role.ADMIN);
    }

    RigId rig() {
        return rig;
    }

    Role role() {
        return role;
    }

    /** The authenticated username (for anonymous rigs, their client id). */
    String user() {
        return rig.value();
    }

    /** What this session may publish: telemetry under its own id (rigs), slate events (slate role). */
    Publisher publisher() {
        return publisher;
    }

    /** Where this session is told why its messages were refused, if it subscribes. */
    String errorTopic() {
        return "rigtel/v1/" + rig.value() + "/error";
    }

    static MqttSession of(Channel channel) {
        return channel.attr(KEY).get();
    }

    boolean v5() {
        return version == MqttVersion.MQTT_5;
    }

    /** Reserves the PUBACK (QoS 1) or PUBREC (QoS 2) slot of a PUBLISH; complete it with {@link #ackReady}. */
    Object expectAck(int packetId, MqttQoS qos) {
        PendingAck pending =
                new PendingAck(packetId, qos == MqttQoS.EXACTLY_ONCE ? MqttMessageType.PUBREC : MqttMessageType.PUBACK);
        pendingAcks.addLast(pending);
        return pending;
    }

    /** Marks an acknowledgement ready and sends every ready one at the head of the queue, in order. */
    void ackReady(Channel channel, Object slot, byte reasonCode) {
        PendingAck pending = (PendingAck) slot;
        pending.reasonCode = reasonCode;
        pending.ready = true;
        sendReadyAcks(channel);
    }

    private void sendReadyAcks(Channel channel) {
        boolean wrote = false;
        while (!pendingAcks.isEmpty() && pendingAcks.peekFirst().ready) {
            PendingAck head = pendingAcks.pollFirst();
            channel.write(reply(head.type, head.packetId, v5() ? head.reasonCode : 0), channel.voidPromise());
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    /**
     * Marks an acknowledgement ready from any thread (the spool's sync thread, once its PUBLISH is
     * durable). One group commit makes many PUBLISHes of a connection durable at once: they are
     * applied on the event loop together, and their acknowledgements leave in one flush, rather
     * than one task, one wake-up and one {@code write()} each; and the connections of one event loop
     * share one task ({@link LoopAcks}).
     */
    void ackReadyLater(Channel channel, Object slot) {
        durableAcks.add((PendingAck) slot);
        if (durableAcksScheduled.compareAndSet(false, true)) {
            LoopAcks.submit(channel.eventLoop(), () -> applyDurableAcks(channel));
        }
    }

    private void applyDurableAcks(Channel channel) {
        durableAcksScheduled.set(false);
        for (PendingAck ready = durableAcks.poll(); ready != null; ready = durableAcks.poll()) {
            ready.reasonCode = 0;
            ready.ready = true;
        }
        sendReadyAcks(channel);
    }

    /** PUBACK, PUBREC, PUBREL or PUBCOMP (PUBREL's fixed header carries QoS 1 flags, section 3.6.1). */
    static MqttMessage reply(MqttMessageType type, int packetId, byte reasonCode) {
        MqttQoS flags = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
        return new MqttMessage(
                new MqttFixedHeader(type, false, flags, false, 0),
                new MqttPubReplyMessageVariableHeader(packetId, reasonCode, MqttProperties.NO_PROPERTIES));
    }

    /** Incoming QoS 1/2 messages not yet completed, for our Receive Maximum (MQTT 5 section 3.3.4). */
    int unacknowledged() {
        return pendingAcks.size() + (broker == null ? 0 : broker.awaitingRelease());
    }

    int pendingAcks() {
        return pendingAcks.size();
    }
}
