package dev.rigtel.collector.http;

import dev.rigtel.collector.ingest.RateLimitedLog;
import dev.rigtel.collector.metrics.HttpMeters;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
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
        HttpMeters meters = routes.meters();
        RateLimitedLog refusals = new RateLimitedLog(log, Clock.systemUTC(), Duration.ofMinutes(1));
        Channel channel = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                // Read only when asked: RequestCycle reads a request, then nothing until it is answered.
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (tls != null) {
                            p.addLast(HttpHandlerNames.TLS, tls.newHandler(ch.alloc()));
                        }
                        RequestCycle cycle = new RequestCycle(() -> {
                            meters.refused("pipeline-limit");
                            refusals.warn(
                                    "pipeline-limit",
                                    "HTTP connection from {} closed: over {} requests sent ahead of their"
                                            + " answers (at most one such line a minute)",
                                    ch.remoteAddress(),
                                    RequestCycle.MAX_WAITING_REQUESTS);
                        });
                        p.addLast(HttpHandlerNames.READ_TIMEOUT, new ReadTimeoutHandler(IDLE_SECONDS));
                        // Before the codec, so that it sees (and holds) the reads the codec and the
                        // aggregator ask for while a request is being answered.
                        p.addLast(HttpHandlerNames.READ_GATE, cycle.gate());
                        p.addLast(HttpHandlerNames.CODEC, new HttpServerCodec());
                        p.addLast(HttpHandlerNames.KEEP_ALIVE, new HttpServerKeepAliveHandler());
                        p.addLast(HttpHandlerNames.AGGREGATOR, new HttpObjectAggregator(MAX_REQUEST_BYTES));
                        // After the aggregator, so that it holds whole requests; before the routes, so that
                        // their answers pass it on the way out and let the next request go on.
                        p.addLast(HttpHandlerNames.IN_ORDER, cycle.order());
                        p.addLast(HttpHandlerNames.ROUTES, routes);
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
