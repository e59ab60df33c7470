package dev.rigtel.collector.http;

import dev.rigtel.collector.metrics.HttpMeters;
import dev.rigtel.common.http.HttpServerOptions;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The collector's HTTP listener: {@code /metrics} (Prometheus) and {@code /health}. */
public final class HttpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

    private final Channel channel;

    private HttpServer(Channel channel) {
        this.channel = channel;
    }

    /**
     * Binds on the given event loops (shared with MQTT: HTTP traffic here is small); HTTPS if {@code
     * tls} is set.
     */
    public static HttpServer start(
            String host,
            int port,
            HttpServerOptions options,
            EventLoopGroup boss,
            EventLoopGroup workers,
            HttpRoutes routes,
            HttpMeters meters,
            SslContext tls)
            throws InterruptedException {
        Channel channel = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .childHandler(new HttpServerInitializer(options, routes, meters, tls, Clock.systemUTC()))
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
