package dev.rigtel.dashboard.http;

import dev.rigtel.common.http.HttpListenerPipeline;
import dev.rigtel.common.http.HttpServerOptions;
import dev.rigtel.common.http.RequestCycle;
import dev.rigtel.dashboard.metrics.DashboardMeters;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.time.Clock;
import java.time.Duration;

/**
 * The pipeline of every dashboard HTTP connection: common's {@link HttpListenerPipeline}
 * (connection caps, request deadline, one request at a time in order, {@code Host} check) before
 * the dashboard's routes, its refusals counted and logged by {@link HttpRefusals}. One instance per
 * listener: it holds the connection caps of all its connections.
 */
public final class DashboardInitializer extends ChannelInitializer<Channel> {

    /** Slate events and commands are a few hundred bytes; nothing the dashboard takes is larger. */
    static final int MAX_REQUEST_BYTES = 64 * 1024;

    /** A connection that asks nothing for this long after connecting or after an answer is closed. */
    static final int IDLE_SECONDS = 60;

    private final HttpRoutes routes;
    private final HttpListenerPipeline pipeline;

    public DashboardInitializer(HttpRoutes routes, DashboardMeters meters, HttpServerOptions options, Clock clock) {
        this.routes = routes;
        Duration requestTimeout = options.requestTimeout();
        HttpRefusals refusals = new HttpRefusals(meters, clock);
        this.pipeline = new HttpListenerPipeline(
                options, MAX_REQUEST_BYTES, Duration.ofSeconds(IDLE_SECONDS), new HttpListenerPipeline.Refusals() {
                    @Override
                    public void connectionRefused(String reason, Channel channel) {
                        refusals.refused(
                                reason,
                                "HTTP connection from " + channel.remoteAddress() + " closed at once: "
                                        + options.maxConnections() + " open, " + options.maxConnectionsPerAddress()
                                        + " from one address at most");
                    }

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

                    @Override
                    public void refused(String reason, Channel channel, String host) {
                        boolean unknown = reason.equals("unknown-host");
                        meters.response(unknown ? 421 : 400);
                        refusals.refused(
                                reason,
                                "HTTP " + (unknown ? 421 : 400) + " to " + channel.remoteAddress() + ": Host "
                                        + (host == null ? "missing" : "'" + HttpListenerPipeline.printable(host) + "'")
                                        + " is "
                                        + (unknown
                                                ? "not an IP address, localhost or in --allowed-hosts (DNS rebinding?)"
                                                : "not valid"));
                    }
                });
        meters.bindConnections(pipeline::open);
    }

    @Override
    protected void initChannel(Channel ch) {
        // No TLS: the dashboard is plain HTTP (a proxy in front terminates TLS where needed).
        pipeline.addTo(ch, null, routes);
    }
}
