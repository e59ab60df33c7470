package dev.rigtel.collector.mqtt;

import dev.rigtel.collector.auth.Role;
import dev.rigtel.collector.ingest.Publisher;
import dev.rigtel.collector.ingest.RigId;
import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import java.util.ArrayDeque;

/**
 * What one MQTT connection knows once CONNECT was accepted. Lives in a channel attribute and is
 * touched only on the channel's event loop.
 */
final class MqttSession {

    static final AttributeKey<MqttSession> KEY = AttributeKey.valueOf("rigtel.mqtt.session");

    /** A QoS 1 PUBLISH awaiting its PUBACK; PUBACKs leave in the order PUBLISHes arrived. */
    private static final class PendingAck {
        final int packetId;
        byte reasonCode;
        boolean ready;

        PendingAck(int packetId) {
            this.packetId = packetId;
        }
    }

    final MqttVersion version;
    private final RigId rig;
    private final Role role;
    private final Publisher publisher;
    final String clientId;
    private final ArrayDeque<PendingAck> pendingAcks = new ArrayDeque<>();
    long pausedSinceNanos;
    boolean paused;
    /** The rig subscribed to its error topic ({@link #errorTopic()}). */
    boolean errorSubscribed;

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

    /** Reserves the PUBACK slot of a QoS 1 PUBLISH; complete it with {@link #ackReady}. */
    Object expectAck(int packetId) {
        PendingAck pending = new PendingAck(packetId);
        pendingAcks.addLast(pending);
        return pending;
    }

    /** Marks a PUBACK ready and sends every ready PUBACK at the head of the queue, in order. */
    void ackReady(Channel channel, Object slot, byte reasonCode) {
        PendingAck pending = (PendingAck) slot;
        pending.reasonCode = reasonCode;
        pending.ready = true;
        boolean wrote = false;
        while (!pendingAcks.isEmpty() && pendingAcks.peekFirst().ready) {
            PendingAck head = pendingAcks.pollFirst();
            MqttMessage ack = MqttMessageBuilders.pubAck()
                    .packetId(head.packetId)
                    .reasonCode(v5() ? head.reasonCode : 0)
                    .build();
            channel.write(ack, channel.voidPromise());
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    int pendingAcks() {
        return pendingAcks.size();
    }
}
