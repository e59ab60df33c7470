package dev.rigtel.collector.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The collector's HTTP listener: {@code /metrics} (Prometheus) and {@code /health}. */
public final class HttpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
    private static final int MAX_REQUEST_BYTES = 64 * 1024;
    private static final int IDLE_SECONDS = 60;

    private final Channel channel;

    private HttpServer(Channel channel) {
        this.channel = channel;
    }

    /** Binds on the given event loops (shared with MQTT: HTTP traffic here is small); HTTPS if {@code tls} is set. */
    public static HttpServer start(
            String host, int port, EventLoopGroup boss, EventLoopGroup workers, HttpRoutes routes, SslContext tls)
            throws InterruptedException {
        Channel channel = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline()
                                .addLast("read-timeout", new ReadTimeoutHandler(IDLE_SECONDS))
                                .addLast("http-codec", new HttpServerCodec())
                                .addLast("keep-alive", new HttpServerKeepAliveHandler())
                                .addLast("aggregator", new HttpObjectAggregator(MAX_REQUEST_BYTES))
                                .addLast("routes", routes);
                    }
                })
                .bind(host, port)
                .sync()
                .channel();
        HttpServer server = new HttpServer(channel);
        log.info("HTTP listening on {}:{} (/metrics, /health)", host, server.port());
        return server;
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
