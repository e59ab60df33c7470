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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A broker session's way onto one channel. Every call is handed to the channel's event loop as a
 * task, in call order, even from the event loop itself: whatever the handler writes in its current
 * task (CONNACK, SUBACK) goes out before the messages the broker releases during it.
 *
 * <p>Server-to-client topic aliases (MQTT 5 section 3.3.2.3.4) belong to this connection: a new
 * connection starts with none, so whatever is redelivered or was queued goes out with its full topic
 * first.
 */
final class ChannelOutlet implements Outlet {

    /**
     * Topics shorter than this get no alias. An alias costs 3 bytes in every PUBLISH (the property's
     * identifier and its two-byte value) and saves the topic's length on every send after the first;
     * below 8 characters the saving is a few bytes at most, and the alias slots are better left to
     * longer topics such as {@code rigtel/v1/live/{rig}/motion}.
     */
    static final int MIN_ALIASED_TOPIC_CHARS = 8;

    private final Channel channel;
    private final boolean v5;
    private final long maximumPacketBytes;
    private final int topicAliasMaximum;
    private final Clock clock;
    private final Disconnects disconnects;
    /**
     * Topic -> alias sent to the client, least recently used first; only touched on the event loop.
     * Once the client's Topic Alias Maximum is reached, a new topic takes the least recently used
     * alias, sent with its full topic, which the client then maps anew (section 3.3.2.3.4).
     */
    private final LinkedHashMap<String, Integer> topicAliases = new LinkedHashMap<>(16, 0.75f, true);

    ChannelOutlet(Channel channel, boolean v5, long maximumPacketBytes, Clock clock, Disconnects disconnects) {
        this(channel, v5, maximumPacketBytes, 0, clock, disconnects);
    }

    /** @param topicAliasMaximum the client's CONNECT Topic Alias Maximum: 0 for no aliases */
    ChannelOutlet(
            Channel channel,
            boolean v5,
            long maximumPacketBytes,
            int topicAliasMaximum,
            Clock clock,
            Disconnects disconnects) {
        this.channel = channel;
        this.v5 = v5;
        this.maximumPacketBytes = maximumPacketBytes;
        this.topicAliasMaximum = v5 ? topicAliasMaximum : 0;
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
            // Decided here, in write order: the client learns an alias from the PUBLISH that sets it.
            String topicName = aliased(message.topic(), properties);
            MqttFixedHeader header = new MqttFixedHeader(
                    MqttMessageType.PUBLISH, dup, MqttQoS.valueOf(message.qos()), message.retain(), 0);
            channel.writeAndFlush(
                    new MqttPublishMessage(
                            header,
                            new MqttPublishVariableHeader(topicName, packetId, properties),
                            Unpooled.wrappedBuffer(message.payload())),
                    channel.voidPromise());
        });
    }

    /**
     * The Topic Name to send, adding the Topic Alias property where one is used: the topic and a new
     * alias the first time, an empty name and the alias afterwards.
     */
    private String aliased(String topic, MqttProperties properties) {
        if (topicAliasMaximum == 0 || topic.length() < MIN_ALIASED_TOPIC_CHARS) {
            return topic;
        }
        Integer alias = topicAliases.get(topic);
        if (alias != null) {
            properties.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS, alias));
            return "";
        }
        if (topicAliases.size() < topicAliasMaximum) {
            alias = topicAliases.size() + 1;
        } else {
            Iterator<Map.Entry<String, Integer>> eldest =
                    topicAliases.entrySet().iterator();
            alias = eldest.next().getValue();
            eldest.remove();
        }
        topicAliases.put(topic, alias);
        properties.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS, alias));
        return topic;
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
        // MQTT 5 section 3.3.2.3.8: the identifier of every subscription of this session that matched.
        for (int id : message.subscriptionIds()) {
            out.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER, id));
        }
        if (!p.userProperties().isEmpty()) {
            MqttProperties.UserProperties user = new MqttProperties.UserProperties();
            p.userProperties().forEach(u -> user.add(u.name(), u.value()));
            out.add(user);
        }
        return out;
    }
}
