package dev.rigtel.collector.mqtt;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.util.ReferenceCountUtil;

/**
 * Every packet after CONNECT that is not a PUBLISH: PINGREQ, DISCONNECT, and SUBSCRIBE /
 * UNSUBSCRIBE, which this version answers without serving subscriptions. Packets only a server
 * sends (CONNACK, SUBACK, ...) are protocol violations.
 */
@ChannelHandler.Sharable
final class ControlHandler extends ChannelInboundHandlerAdapter {

    private static final MqttMessage PINGRESP =
            new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE, false, 0));

    private final Disconnects disconnects;

    ControlHandler(Disconnects disconnects) {
        this.disconnects = disconnects;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        MqttMessage message = (MqttMessage) msg;
        try {
            switch (message.fixedHeader().messageType()) {
                case PINGREQ -> ctx.writeAndFlush(PINGRESP);
                case DISCONNECT -> ctx.close();
                case SUBSCRIBE -> {
                    MqttSubscribeMessage subscribe = (MqttSubscribeMessage) message;
                    MqttSession session = MqttSession.of(ctx.channel());
                    // MQTT 3.1.1 section 3.9.3: one return code per filter, in order; 0x80 is a failure.
                    // This version serves one subscription: a rig's own error topic, at QoS 0.
                    MqttMessageBuilders.SubAckBuilder ack = MqttMessageBuilders.subAck()
                            .packetId(subscribe.variableHeader().messageId());
                    subscribe.payload().topicSubscriptions().forEach(s -> {
                        if (s.topicFilter().equals(session.errorTopic())) {
                            session.errorSubscribed = true;
                            ack.addGrantedQos(MqttQoS.AT_MOST_ONCE);
                        } else {
                            ack.addGrantedQos(MqttQoS.FAILURE);
                        }
                    });
                    ctx.writeAndFlush(ack.build());
                }
                case UNSUBSCRIBE -> {
                    MqttUnsubscribeMessage unsubscribe = (MqttUnsubscribeMessage) message;
                    MqttMessageBuilders.UnsubAckBuilder ack = MqttMessageBuilders.unsubAck()
                            .packetId(((MqttMessageIdVariableHeader) unsubscribe.variableHeader()).messageId());
                    // MQTT 5 section 3.11.3: 0x00 success, 0x11 "no subscription existed"; 3.1.1 sends none.
                    MqttSession session = MqttSession.of(ctx.channel());
                    unsubscribe.payload().topics().forEach(t -> {
                        boolean had = t.equals(session.errorTopic()) && session.errorSubscribed;
                        if (had) {
                            session.errorSubscribed = false;
                        }
                        ack.addReasonCode((short) (had ? 0x00 : 0x11));
                    });
                    ctx.writeAndFlush(ack.build());
                }
                case PUBACK, PUBREC, PUBREL, PUBCOMP -> {
                    // We never publish to clients, so there is nothing to acknowledge: ignore.
                }
                default ->
                    disconnects.close(
                            ctx.channel(),
                            "unexpected-packet",
                            Disconnects.PROTOCOL_ERROR,
                            message.fixedHeader().messageType() + " from a client");
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        disconnects.close(ctx.channel(), "io-error", (byte) 0, String.valueOf(cause.getMessage()));
    }
}
