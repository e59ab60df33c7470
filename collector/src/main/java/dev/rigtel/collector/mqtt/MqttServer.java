package dev.rigtel.collector.mqtt;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The MQTT listener on the NIO transport; the event loop groups belong to the caller. */
public final class MqttServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MqttServer.class);

    private final Channel channel;

    private MqttServer(Channel channel) {
        this.channel = channel;
    }

    /**
     * NIO event loops for the servers: one acceptor thread and {@code threads} I/O threads (0: one per
     * core). Not Netty's default of two per core: no handler here blocks, so more loops than cores
     * add no throughput, and at a light load they spread the same messages over more threads, each
     * woken on its own (for a read, for the PUBACKs a group commit made due).
     */
    public static EventLoopGroup eventLoops(int threads) {
        return new MultiThreadIoEventLoopGroup(
                threads == 0 ? Runtime.getRuntime().availableProcessors() : threads, NioIoHandler.newFactory());
    }

    /** Binds and starts serving; close the result to stop listening and close every connection. */
    public static MqttServer start(
            String host, int port, MqttServerInitializer initializer, EventLoopGroup boss, EventLoopGroup workers)
            throws InterruptedException {
        Channel channel = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(initializer)
                .bind(host, port)
                .sync()
                .channel();
        MqttServer server = new MqttServer(channel);
        log.info("MQTT listening on {}:{}", host, server.port());
        return server;
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Stops accepting; open connections close with their event loops. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
