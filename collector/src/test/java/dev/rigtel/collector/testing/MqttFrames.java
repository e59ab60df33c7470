package dev.rigtel.collector.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A client side for pipeline tests: encodes packets to real wire bytes with Netty's encoder (which
 * remembers the protocol version of the CONNECT it encoded) and decodes what the server wrote.
 */
public final class MqttFrames implements AutoCloseable {

    private final EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
    private final EmbeddedChannel decoder = new EmbeddedChannel(new MqttDecoder(1 << 20));

    public ByteBuf encode(MqttMessage message) {
        encoder.writeOutbound(message);
        ByteBuf out = Unpooled.buffer();
        ByteBuf part;
        while ((part = encoder.readOutbound()) != null) {
            out.writeBytes(part);
            part.release();
        }
        return out;
    }

    public ByteBuf connect(
            MqttVersion version, String clientId, String username, String password, int keepAliveSeconds) {
        MqttMessageBuilders.ConnectBuilder connect = MqttMessageBuilders.connect()
                .protocolVersion(version)
                .clientId(clientId)
                .cleanSession(true)
                .keepAlive(keepAliveSeconds);
        if (username != null) {
            connect.hasUser(true).username(username);
        }
        if (password != null) {
            connect.hasPassword(true).password(password.getBytes(StandardCharsets.UTF_8));
        }
        return encode(connect.build());
    }

    public ByteBuf publish(String topic, MqttQoS qos, int packetId, byte[] payload) {
        return encode(MqttMessageBuilders.publish()
                .topicName(topic)
                .qos(qos)
                .messageId(packetId)
                .retained(false)
                .payload(Unpooled.wrappedBuffer(payload))
                .build());
    }

    /** Decodes every packet the server wrote so far. */
    public List<MqttMessage> read(EmbeddedChannel server) {
        ByteBuf out;
        while ((out = server.readOutbound()) != null) {
            decoder.writeInbound(out);
        }
        List<MqttMessage> messages = new ArrayList<>();
        Object message;
        while ((message = decoder.readInbound()) != null) {
            messages.add((MqttMessage) message);
        }
        return messages;
    }

    /** Tells the client-side decoder the protocol version, as a CONNECT it sent would have. */
    public void expectVersion(MqttVersion version) {
        decoder.attr(io.netty.util.AttributeKey.<MqttVersion>valueOf("NETTY_CODEC_MQTT_VERSION"))
                .set(version);
    }

    @Override
    public void close() {
        encoder.finishAndReleaseAll();
        decoder.finishAndReleaseAll();
    }
}
