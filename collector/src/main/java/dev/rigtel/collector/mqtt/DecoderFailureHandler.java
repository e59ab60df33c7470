package dev.rigtel.collector.mqtt;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.util.ReferenceCountUtil;

/**
 * Catches what {@code MqttDecoder} could not decode. It never throws: it emits a plain
 * {@link MqttMessage} whose {@code decoderResult()} failed (and whose fixed header may be null),
 * which would otherwise slip past the typed handlers. Answers as MQTT 3.1.1 section 3.1.4 and 4.8
 * say: CONNACK 0x01 for an unsupported protocol level, 0x02 for a rejected client id, else close.
 */
@ChannelHandler.Sharable
final class DecoderFailureHandler extends ChannelInboundHandlerAdapter {

    private final Disconnects disconnects;

    DecoderFailureHandler(Disconnects disconnects) {
        this.disconnects = disconnects;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MqttMessage message) || message.decoderResult().isSuccess()) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            Throwable cause = message.decoderResult().cause();
            if (cause instanceof MqttUnacceptableProtocolVersionException) {
                refuseConnect(
                        ctx,
                        MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION,
                        "unsupported-protocol",
                        cause.getMessage());
            } else if (cause instanceof MqttIdentifierRejectedException && MqttSession.of(ctx.channel()) == null) {
                refuseConnect(
                        ctx,
                        MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                        "bad-client-id",
                        cause.getMessage());
            } else {
                disconnects.close(
                        ctx.channel(),
                        "malformed-packet",
                        Disconnects.MALFORMED_PACKET,
                        String.valueOf(cause.getMessage()));
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void refuseConnect(ChannelHandlerContext ctx, MqttConnectReturnCode code, String reason, String detail) {
        disconnects.countRefusal(reason, detail, ctx.channel());
        ctx.writeAndFlush(MqttMessageBuilders.connAck()
                        .returnCode(code)
                        .sessionPresent(false)
                        .build())
                .addListener(ChannelFutureListener.CLOSE);
    }
}
