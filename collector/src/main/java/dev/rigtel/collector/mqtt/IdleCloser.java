package dev.rigtel.collector.mqtt;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * Closes a connection that stayed silent: before CONNECT for the connect timeout, afterwards for
 * 1.5 x its keep-alive (MQTT 3.1.1 section 3.1.2.10, MQTT 5 section 3.1.2.10).
 */
@ChannelHandler.Sharable
final class IdleCloser extends ChannelInboundHandlerAdapter {

    private final Disconnects disconnects;

    IdleCloser(Disconnects disconnects) {
        this.disconnects = disconnects;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            boolean connected = MqttSession.of(ctx.channel()) != null;
            disconnects.close(
                    ctx.channel(),
                    connected ? "keep-alive-timeout" : "connect-timeout",
                    Disconnects.KEEP_ALIVE_TIMEOUT,
                    connected ? "nothing received for 1.5 x keep-alive" : "no CONNECT in time");
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }
}
