package dev.rigtel.collector.mqtt;

import dev.rigtel.collector.metrics.MqttMeters;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * First in every pipeline: closes a new connection at once while {@code maxConnections} are open, or
 * {@code maxPerAddress} from its remote address, so that a flood of connections cannot exhaust
 * memory or file descriptors, nor one host hold every slot before the connect timeout frees them.
 * Counted as closed with reason {@code connection-limit} or {@code address-limit}.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    private final int maxConnections;
    private final int maxPerAddress;
    private final MqttMeters meters;
    private final AtomicInteger open = new AtomicInteger();
    /** Open connections per remote address; an address leaves when its last connection closes. */
    private final Map<InetAddress, AtomicInteger> byAddress = new ConcurrentHashMap<>();

    ConnectionLimiter(int maxConnections, int maxPerAddress, MqttMeters meters) {
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
        this.meters = meters;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // Counted before the checks and released in channelInactive, which every close fires.
        int total = open.incrementAndGet();
        int fromAddress = address(ctx) == null
                ? 0
                : byAddress
                        .computeIfAbsent(address(ctx), a -> new AtomicInteger())
                        .incrementAndGet();
        if (total > maxConnections) {
            meters.closed("connection-limit");
            ctx.close();
            return;
        }
        if (fromAddress > maxPerAddress) {
            meters.closed("address-limit");
            ctx.close();
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        open.decrementAndGet();
        InetAddress address = address(ctx);
        if (address != null) {
            byAddress.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
        }
        ctx.fireChannelInactive();
    }

    /** Open connections of one address (tests). */
    int openFrom(InetAddress address) {
        AtomicInteger n = byAddress.get(address);
        return n == null ? 0 : n.get();
    }

    private static InetAddress address(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
    }
}
