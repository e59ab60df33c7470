package dev.rigtel.collector.http;

import dev.rigtel.collector.metrics.HttpMeters;
import dev.rigtel.common.http.HttpListenerPipeline;
import dev.rigtel.common.http.HttpServerOptions;
import dev.rigtel.common.http.RequestCycle;
import dev.rigtel.common.log.RateLimitedLog;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.SslContext;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline of every HTTP connection: common's {@link HttpListenerPipeline} (connection caps,
 * TLS, request deadline, one request at a time in order, {@code Host} check) before the collector's
 * routes, its refusals counted in {@code rigtel.http.refused} and logged at most once a minute per
 * reason. One instance per listener: it holds the connection caps of all its connections.
 */
final class HttpServerInitializer extends ChannelInitializer<Channel> {

    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
    static final int MAX_REQUEST_BYTES = 64 * 1024;
    /** A connection that asks nothing for this long after connecting or after an answer is closed. */
    static final int IDLE_SECONDS = 60;

    private final HttpRoutes routes;
    private final SslContext tls;
    private final HttpListenerPipeline pipeline;

    /** @param tls HTTPS if set, else null */
    HttpServerInitializer(
            HttpServerOptions options, HttpRoutes routes, HttpMeters meters, SslContext tls, Clock clock) {
        this.routes = routes;
        this.tls = tls;
        Duration requestTimeout = options.requestTimeout();
        RateLimitedLog lines = new RateLimitedLog(log, clock, Duration.ofMinutes(1));
        this.pipeline = new HttpListenerPipeline(
                options, MAX_REQUEST_BYTES, Duration.ofSeconds(IDLE_SECONDS), new HttpListenerPipeline.Refusals() {
                    @Override
                    public void connectionRefused(String reason, Channel channel) {
                        meters.refused(reason);
                        lines.warn(
                                reason,
                                "HTTP connection from {} closed at once: {} open, {} from one address at most ({};"
                                        + " at most one such line a minute)",
                                channel.remoteAddress(),
                                options.maxConnections(),
                                options.maxConnectionsPerAddress(),
                                reason);
                    }

                    @Override
                    public void tooManyWaiting(Channel channel) {
                        meters.refused("pipeline-limit");
                        lines.warn(
                                "pipeline-limit",
                                "HTTP connection from {} closed: over {} requests sent ahead of their answers (at"
                                        + " most one such line a minute)",
                                channel.remoteAddress(),
                                RequestCycle.MAX_WAITING_REQUESTS);
                    }

                    @Override
                    public void requestTimedOut(Channel channel) {
                        meters.refused("request-timeout");
                        meters.response(408);
                        lines.warn(
                                "request-timeout",
                                "HTTP 408 to {}: the request did not arrive whole within {} (at most one such line"
                                        + " a minute)",
                                channel.remoteAddress(),
                                requestTimeout);
                    }

                    @Override
                    public void refused(String reason, Channel channel, String host) {
                        meters.refused(reason);
                        meters.response(reason.equals("unknown-host") ? 421 : 400);
                        lines.warn(
                                reason,
                                "HTTP {} to {}: Host {} is {} (at most one such line a minute)",
                                reason.equals("unknown-host") ? 421 : 400,
                                channel.remoteAddress(),
                                host == null ? "missing" : "'" + HttpListenerPipeline.printable(host) + "'",
                                reason.equals("unknown-host")
                                        ? "not an IP address, localhost or in --http-allowed-hosts (DNS rebinding?)"
                                        : "not valid");
                    }
                });
        meters.bindConnections(pipeline::open);
    }

    @Override
    protected void initChannel(Channel ch) {
        pipeline.addTo(ch, tls, routes);
    }
}
