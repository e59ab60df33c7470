package dev.rigtel.collector.mqtt;

import dev.rigtel.collector.metrics.MqttMeters;
import dev.rigtel.common.log.RateLimitedLog;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First in every pipeline: closes a new connection at once while {@code maxConnections} are open, or
 * {@code maxPerAddress} from its remote address, so that a flood of connections cannot exhaust
 * memory or file descriptors, nor one host hold every slot before the connect timeout frees them.
 * Counted as closed with reason {@code connection-limit} or {@code address-limit}, and logged at most
 * once a minute per reason, so that an operator whose rigs cannot connect learns which limit to raise.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);

    private final int maxConnections;
    private final int maxPerAddress;
    private final MqttMeters meters;
    private final RateLimitedLog lines;
    private final AtomicInteger open = new AtomicInteger();
    /** Open connections per remote address; an address leaves when its last connection closes. */
    private final Map<InetAddress, AtomicInteger> byAddress = new ConcurrentHashMap<>();

    ConnectionLimiter(int maxConnections, int maxPerAddress, MqttMeters meters, Clock clock) {
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
        this.meters = meters;
        this.lines = new RateLimitedLog(log, clock, Duration.ofMinutes(1));
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
            lines.warn(
                    "connection-limit",
                    "MQTT connection from {} closed at once: {} open at most (--max-connections; at most one such"
                            + " line a minute)",
                    ctx.channel().remoteAddress(),
                    maxConnections);
            ctx.close();
            return;
        }
        if (fromAddress > maxPerAddress) {
            meters.closed("address-limit");
            lines.warn(
                    "address-limit",
                    "MQTT connection from {} closed at once: {} open from one address at most"
                            + " (--max-connections-per-address; at most one such line a minute)",
                    ctx.channel().remoteAddress(),
                    maxPerAddress);
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
