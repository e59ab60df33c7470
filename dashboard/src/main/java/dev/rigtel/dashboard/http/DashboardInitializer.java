package dev.rigtel.dashboard.http;

import dev.rigtel.dashboard.metrics.DashboardMeters;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/** The pipeline of every dashboard HTTP connection. */
public final class DashboardInitializer extends ChannelInitializer<SocketChannel> {

    /** Slate events and commands are a few hundred bytes; nothing the dashboard takes is larger. */
    static final int MAX_REQUEST_BYTES = 64 * 1024;

    static final int IDLE_SECONDS = 60;

    private final HttpRoutes routes;
    private final HttpRefusals refusals;
    private final long idleSeconds;

    /**
     * @param proxyTimeout the longest a proxied request may take: the read timeout (which counts only
     *     what the browser sends) is longer, so that a browser waiting for a slow answer keeps it
     */
    public DashboardInitializer(
            HttpRoutes routes, DashboardMeters meters, java.time.Duration proxyTimeout, Clock clock) {
        this.routes = routes;
        this.refusals = new HttpRefusals(meters, clock);
        this.idleSeconds = Math.max(IDLE_SECONDS, proxyTimeout.toSeconds() + 10);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        // Read only when asked: RequestCycle reads a request, then nothing until it is answered.
        ch.config().setAutoRead(false);
        ChannelPipeline p = ch.pipeline();
        RequestCycle cycle = new RequestCycle(() -> refusals.refused(
                "pipeline-limit",
                "HTTP connection from " + ch.remoteAddress() + " closed: over " + RequestCycle.MAX_WAITING_REQUESTS
                        + " requests sent ahead of their answers"));
        // First, so that a connection that sends nothing (a slowloris, an idle keep-alive) is closed.
        // A live stream removes it: its browser never sends again, the heartbeat finds it gone.
        p.addLast(HandlerNames.READ_TIMEOUT, new ReadTimeoutHandler(idleSeconds, TimeUnit.SECONDS));
        // Before the codec, so that it sees (and holds) the reads the codec and the aggregator ask
        // for while a request is being answered.
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
        p.addLast(HandlerNames.ROUTES, routes);
    }
}
