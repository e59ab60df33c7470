package dev.rigtel.common.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * First in every HTTP pipeline, before TLS: closes a new connection at once while {@code
 * maxConnections} are open, or {@code maxConnectionsPerAddress} from its remote address, so that
 * neither a flood of connections nor one client holding many can exhaust file descriptors. A
 * refused connection is never counted as open. One instance serves every connection.
 */
@ChannelHandler.Sharable
public final class HttpConnectionLimiter extends ChannelInboundHandlerAdapter {

    private static final AttributeKey<Object> COUNTED = AttributeKey.valueOf(HttpConnectionLimiter.class, "address");

    private final int maxConnections;
    private final int maxConnectionsPerAddress;
    private final BiConsumer<String, Channel> refused;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<Object, Integer> perAddress = new ConcurrentHashMap<>();

    /**
     * @param refused counts and logs a refused connection: reason ({@code connection-limit} or {@code
     *     address-limit}) and channel
     */
    public HttpConnectionLimiter(
            int maxConnections, int maxConnectionsPerAddress, BiConsumer<String, Channel> refused) {
        this.maxConnections = maxConnections;
        this.maxConnectionsPerAddress = maxConnectionsPerAddress;
        this.refused = refused;
    }

    /** Connections open now (refused ones never count). */
    public int open() {
        return open.get();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            refuse(ctx, "connection-limit");
            return;
        }
        Object address = addressOf(ctx.channel());
        if (perAddress.merge(address, 1, Integer::sum) > maxConnectionsPerAddress) {
            release(address);
            refuse(ctx, "address-limit");
            return;
        }
        ctx.channel().attr(COUNTED).set(address);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Object address = ctx.channel().attr(COUNTED).getAndSet(null);
        if (address != null) {
            release(address);
        }
        ctx.fireChannelInactive();
    }

    private void release(Object address) {
        perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
        open.decrementAndGet();
    }

    private void refuse(ChannelHandlerContext ctx, String reason) {
        refused.accept(reason, ctx.channel());
        // Not fired on: nothing after this handler ever sees the connection, nothing is read from it.
        ctx.close();
    }

    /** The remote IP address; any other kind of address (in-memory tests) by its text. */
    private static Object addressOf(Channel channel) {
        return channel.remoteAddress() instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress()
                : String.valueOf(channel.remoteAddress());
    }
}
