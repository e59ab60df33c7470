package dev.rigtel.collector.http;

import dev.rigtel.collector.metrics.HttpMeters;
import dev.rigtel.common.http.AllowedHosts;
import dev.rigtel.common.http.HostCheck;
import dev.rigtel.common.http.HttpConnectionLimiter;
import dev.rigtel.common.http.HttpServerOptions;
import dev.rigtel.common.http.RequestCycle;
import dev.rigtel.common.log.RateLimitedLog;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.ssl.SslContext;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline of every HTTP connection, in the order below and for the reasons given there. One
 * instance per listener: it holds the connection caps of all its connections.
 */
final class HttpServerInitializer extends ChannelInitializer<Channel> {

    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
    static final int MAX_REQUEST_BYTES = 64 * 1024;
    /** A connection that asks nothing for this long after connecting or after an answer is closed. */
    static final int IDLE_SECONDS = 60;

    private final HttpRoutes routes;
    private final SslContext tls;
    private final Duration requestTimeout;
    private final HttpConnectionLimiter limiter;
    private final RequestCycle.Refusals cycleRefusals;
    private final HostCheck hostCheck;

    /** @param tls HTTPS if set, else null */
    HttpServerInitializer(
            HttpServerOptions options, HttpRoutes routes, HttpMeters meters, SslContext tls, Clock clock) {
        this.routes = routes;
        this.tls = tls;
        this.requestTimeout = options.requestTimeout();
        RateLimitedLog refusals = new RateLimitedLog(log, clock, Duration.ofMinutes(1));
        this.limiter = new HttpConnectionLimiter(
                options.maxConnections(), options.maxConnectionsPerAddress(), (reason, channel) -> {
                    meters.refused(reason);
                    refusals.warn(
                            reason,
                            "HTTP connection from {} closed at once: {} open, {} from one address at most ({};"
                                    + " at most one such line a minute)",
                            channel.remoteAddress(),
                            options.maxConnections(),
                            options.maxConnectionsPerAddress(),
                            reason);
                });
        meters.bindConnections(limiter::open);
        this.cycleRefusals = new RequestCycle.Refusals() {
            @Override
            public void tooManyWaiting(Channel channel) {
                meters.refused("pipeline-limit");
                refusals.warn(
                        "pipeline-limit",
                        "HTTP connection from {} closed: over {} requests sent ahead of their answers (at most"
                                + " one such line a minute)",
                        channel.remoteAddress(),
                        RequestCycle.MAX_WAITING_REQUESTS);
            }

            @Override
            public void requestTimedOut(Channel channel) {
                meters.refused("request-timeout");
                meters.response(408);
                refusals.warn(
                        "request-timeout",
                        "HTTP 408 to {}: the request did not arrive whole within {} (at most one such line a"
                                + " minute)",
                        channel.remoteAddress(),
                        requestTimeout);
            }
        };
        this.hostCheck = new HostCheck(new AllowedHosts(options.allowedHosts()), (reason, channel, host) -> {
            meters.refused(reason);
            meters.response(reason.equals("unknown-host") ? 421 : 400);
            refusals.warn(
                    reason,
                    "HTTP {} to {}: Host {} is {} (at most one such line a minute)",
                    reason.equals("unknown-host") ? 421 : 400,
                    channel.remoteAddress(),
                    host == null ? "missing" : "'" + printable(host) + "'",
                    reason.equals("unknown-host")
                            ? "not an IP address, localhost or in --http-allowed-hosts (DNS rebinding?)"
                            : "not valid");
        });
    }

    /** At most 100 characters, control characters as '?': the log gets no surprises from a header. */
    private static String printable(String text) {
        String cut = text.length() > 100 ? text.substring(0, 100) + "..." : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    @Override
    protected void initChannel(Channel ch) {
        // Read only when asked: RequestCycle reads a request, then nothing until it is answered.
        ch.config().setAutoRead(false);
        ChannelPipeline p = ch.pipeline();
        // First, before TLS: a connection over the caps costs no handshake and is never read.
        p.addLast(HttpHandlerNames.CONNECTION_LIMIT, limiter);
        if (tls != null) {
            p.addLast(HttpHandlerNames.TLS, tls.newHandler(ch.alloc()));
        }
        RequestCycle cycle = new RequestCycle(requestTimeout, Duration.ofSeconds(IDLE_SECONDS), cycleRefusals);
        // Before the codec, so that it sees the first byte of each request (its deadline starts) and
        // holds the reads the codec and the aggregator ask for while a request is being answered.
        p.addLast(HttpHandlerNames.READ_GATE, cycle.gate());
        p.addLast(HttpHandlerNames.CODEC, new HttpServerCodec());
        p.addLast(HttpHandlerNames.KEEP_ALIVE, new HttpServerKeepAliveHandler());
        p.addLast(HttpHandlerNames.AGGREGATOR, new HttpObjectAggregator(MAX_REQUEST_BYTES));
        // After the aggregator, so that it holds whole requests; before the routes, so that their
        // answers pass it on the way out and let the next request go on.
        p.addLast(HttpHandlerNames.IN_ORDER, cycle.order());
        // After the ordering, so that its 421 keeps its place among pipelined answers; before the
        // routes, so that a page of another site never reaches them (DNS rebinding).
        p.addLast(HttpHandlerNames.HOST_CHECK, hostCheck);
        p.addLast(HttpHandlerNames.ROUTES, routes);
    }
}
