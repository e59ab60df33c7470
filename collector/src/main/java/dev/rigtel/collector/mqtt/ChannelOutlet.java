package dev.rigtel.collector.mqtt;

import dev.rigtel.collector.broker.BrokerMessage;
import dev.rigtel.collector.broker.MessageProperties;
import dev.rigtel.collector.broker.Outlet;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.time.Clock;

/**
 * A broker session's way onto one channel. Every call is handed to the channel's event loop as a
 * task, in call order, even from the event loop itself: whatever the handler writes in its current
 * task (CONNACK, SUBACK) goes out before the messages the broker releases during it.
 */
final class ChannelOutlet implements Outlet {

    private final Channel channel;
    private final boolean v5;
    private final long maximumPacketBytes;
    private final Clock clock;
    private final Disconnects disconnects;

    ChannelOutlet(Channel channel, boolean v5, long maximumPacketBytes, Clock clock, Disconnects disconnects) {
        this.channel = channel;
        this.v5 = v5;
        this.maximumPacketBytes = maximumPacketBytes;
        this.clock = clock;
        this.disconnects = disconnects;
    }

    @Override
    public void publish(int packetId, BrokerMessage message, boolean dup) {
        MqttProperties properties = v5 ? properties(message, clock.millis()) : MqttProperties.NO_PROPERTIES;
        channel.eventLoop().execute(() -> {
            if (!channel.isActive()) {
                return;
            }
            MqttFixedHeader header = new MqttFixedHeader(
                    MqttMessageType.PUBLISH, dup, MqttQoS.valueOf(message.qos()), message.retain(), 0);
            channel.writeAndFlush(
                    new MqttPublishMessage(
                            header,
                            new MqttPublishVariableHeader(message.topic(), packetId, properties),
                            Unpooled.wrappedBuffer(message.payload())),
                    channel.voidPromise());
        });
    }

    @Override
    public void pubrel(int packetId) {
        channel.eventLoop().execute(() -> {
            if (channel.isActive()) {
                channel.writeAndFlush(
                        MqttSession.reply(MqttMessageType.PUBREL, packetId, (byte) 0), channel.voidPromise());
            }
        });
    }

    @Override
    public boolean writable() {
        return channel.isWritable();
    }

    @Override
    public void takenOver() {
        channel.eventLoop()
                .execute(() -> disconnects.close(
                        channel,
                        "session-taken-over",
                        Disconnects.SESSION_TAKEN_OVER,
                        "another connection took over the session"));
    }

    @Override
    public long maximumPacketBytes() {
        return maximumPacketBytes;
    }

    /** The forwarded MQTT 5 properties (section 3.3.2.3); the expiry is what is left of it. */
    private static MqttProperties properties(BrokerMessage message, long nowMillis) {
        MessageProperties p = message.properties();
        MqttProperties out = new MqttProperties();
        if (p.payloadFormatUtf8() != null) {
            out.add(new MqttProperties.IntegerProperty(
                    MqttProperties.PAYLOAD_FORMAT_INDICATOR, p.payloadFormatUtf8() ? 1 : 0));
        }
        long expiry = message.remainingExpirySeconds(nowMillis);
        if (expiry >= 0) {
            out.add(new MqttProperties.IntegerProperty(
                    MqttProperties.PUBLICATION_EXPIRY_INTERVAL, (int) Math.min(expiry, 0xFFFF_FFFFL)));
        }
        if (p.contentType() != null) {
            out.add(new MqttProperties.StringProperty(MqttProperties.CONTENT_TYPE, p.contentType()));
        }
        if (p.responseTopic() != null) {
            out.add(new MqttProperties.StringProperty(MqttProperties.RESPONSE_TOPIC, p.responseTopic()));
        }
        if (p.correlationData() != null) {
            out.add(new MqttProperties.BinaryProperty(MqttProperties.CORRELATION_DATA, p.correlationData()));
        }
        if (!p.userProperties().isEmpty()) {
            MqttProperties.UserProperties user = new MqttProperties.UserProperties();
            p.userProperties().forEach(u -> user.add(u.name(), u.value()));
            out.add(user);
        }
        return out;
    }
}
