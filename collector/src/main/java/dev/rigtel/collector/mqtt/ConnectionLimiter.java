package dev.rigtel.collector.mqtt;

import dev.rigtel.collector.metrics.MqttMeters;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * First in every pipeline: closes a new connection at once while {@code maxConnections} are open, so
 * a flood of connections cannot exhaust memory or file descriptors. Counted as closed with reason
 * {@code connection-limit}.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    private final int maxConnections;
    private final MqttMeters meters;
    private final AtomicInteger open = new AtomicInteger();

    ConnectionLimiter(int maxConnections, MqttMeters meters) {
        this.maxConnections = maxConnections;
        this.meters = meters;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (open.incrementAndGet() > maxConnections) {
            meters.closed("connection-limit");
            ctx.close();
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        open.decrementAndGet();
        ctx.fireChannelInactive();
    }
}
