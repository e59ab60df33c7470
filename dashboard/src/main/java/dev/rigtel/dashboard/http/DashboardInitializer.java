package dev.rigtel.dashboard.http;

import dev.rigtel.common.http.AllowedHosts;
import dev.rigtel.common.http.HostCheck;
import dev.rigtel.common.http.HttpConnectionLimiter;
import dev.rigtel.common.http.HttpServerOptions;
import dev.rigtel.common.http.RequestCycle;
import dev.rigtel.dashboard.metrics.DashboardMeters;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import java.time.Clock;
import java.time.Duration;

/**
 * The pipeline of every dashboard HTTP connection, in the order below and for the reasons given
 * there. One instance per listener: it holds the connection caps of all its connections.
 */
public final class DashboardInitializer extends ChannelInitializer<Channel> {

    /** Slate events and commands are a few hundred bytes; nothing the dashboard takes is larger. */
    static final int MAX_REQUEST_BYTES = 64 * 1024;

    /** A connection that asks nothing for this long after connecting or after an answer is closed. */
    static final int IDLE_SECONDS = 60;

    private final HttpRoutes routes;
    private final Duration requestTimeout;
    private final HttpConnectionLimiter limiter;
    private final RequestCycle.Refusals cycleRefusals;
    private final HostCheck hostCheck;

    public DashboardInitializer(HttpRoutes routes, DashboardMeters meters, HttpServerOptions options, Clock clock) {
        this.routes = routes;
        this.requestTimeout = options.requestTimeout();
        HttpRefusals refusals = new HttpRefusals(meters, clock);
        this.limiter = new HttpConnectionLimiter(
                options.maxConnections(),
                options.maxConnectionsPerAddress(),
                (reason, channel) -> refusals.refused(
                        reason,
                        "HTTP connection from " + channel.remoteAddress() + " closed at once: "
                                + options.maxConnections() + " open, " + options.maxConnectionsPerAddress()
                                + " from one address at most"));
        meters.bindConnections(limiter::open);
        this.cycleRefusals = new RequestCycle.Refusals() {
            @Override
            public void tooManyWaiting(Channel channel) {
                refusals.refused(
                        "pipeline-limit",
                        "HTTP connection from " + channel.remoteAddress() + " closed: over "
                                + RequestCycle.MAX_WAITING_REQUESTS + " requests sent ahead of their answers");
            }

            @Override
            public void requestTimedOut(Channel channel) {
                meters.response(408);
                refusals.refused(
                        "request-timeout",
                        "HTTP 408 to " + channel.remoteAddress() + ": the request did not arrive whole within "
                                + requestTimeout);
            }
        };
        this.hostCheck = new HostCheck(new AllowedHosts(options.allowedHosts()), (reason, channel, host) -> {
            boolean unknown = reason.equals("unknown-host");
            meters.response(unknown ? 421 : 400);
            refusals.refused(
                    reason,
                    "HTTP " + (unknown ? 421 : 400) + " to " + channel.remoteAddress() + ": Host "
                            + (host == null ? "missing" : "'" + printable(host) + "'") + " is "
                            + (unknown
                                    ? "not an IP address, localhost or in --allowed-hosts (DNS rebinding?)"
                                    : "not valid"));
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
        // First: a connection over the caps is closed before anything reads it.
        p.addLast(HandlerNames.CONNECTION_LIMIT, limiter);
        RequestCycle cycle = new RequestCycle(requestTimeout, Duration.ofSeconds(IDLE_SECONDS), cycleRefusals);
        // Before the codec, so that it sees the first byte of each request (its deadline starts) and
        // holds the reads the codec and the aggregator ask for while a request is being answered. A
        // slowloris gets 408 at the deadline; a connection that sends nothing is closed when idle; a
        // browser waiting for a slow answer from the collector keeps its connection.
        p.addLast(HandlerNames.READ_GATE, cycle.gate());
        p.addLast(HandlerNames.CODEC, new HttpServerCodec());
        // Before the aggregator, so it sees every response and closes a connection after a
        // "Connection: close" answer, or an HTTP/1.0 request without keep-alive.
        p.addLast(HandlerNames.KEEP_ALIVE, new HttpServerKeepAliveHandler());
        // Whole requests for the routes; a body over the limit is answered 413 here.
        p.addLast(HandlerNames.AGGREGATOR, new HttpObjectAggregator(MAX_REQUEST_BYTES));
        // One request at a time, answers in request order (RFC 9112 section 9.3.2): the routes
        // answer pages at once and the collector's API later. Their answers pass it on the way out.
        p.addLast(HandlerNames.IN_ORDER, cycle.order());
        // After the ordering, so that its 421 keeps its place among pipelined answers; before the
        // routes, so that a page of another site never reaches them (DNS rebinding).
        p.addLast(HandlerNames.HOST_CHECK, hostCheck);
        p.addLast(HandlerNames.ROUTES, routes);
    }
}
