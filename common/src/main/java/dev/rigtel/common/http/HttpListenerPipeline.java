package dev.rigtel.common.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;

/**
 * The pipeline of every connection of an HTTP listener (the collector's, the dashboard's), from
 * the connection caps to the routes, in the order below and for the reasons given there. One
 * instance per listener: it holds the connection caps of all its connections. What it refuses is
 * counted and logged by each listener in its own words ({@link Refusals}).
 */
public final class HttpListenerPipeline {

    /** Counts and logs what the listener refuses. */
    public interface Refusals extends RequestCycle.Refusals, HostCheck.Refusals {
        /**
         * A new connection closed at once.
         *
         * @param reason {@code connection-limit} or {@code address-limit}
         */
        void connectionRefused(String reason, Channel channel);
    }

    private final int maxRequestBytes;
    private final Duration requestTimeout;
    private final Duration idleTimeout;
    private final RequestCycle.Refusals cycleRefusals;
    private final HttpConnectionLimiter limiter;
    private final HostCheck hostCheck;

    /**
     * @param maxRequestBytes the largest request (head and body) the routes get; a larger body is
     *     answered 413
     * @param idleTimeout a connection that asks nothing for this long after connecting or after an
     *     answer is closed
     */
    public HttpListenerPipeline(
            HttpServerOptions options, int maxRequestBytes, Duration idleTimeout, Refusals refusals) {
        this.maxRequestBytes = maxRequestBytes;
        this.requestTimeout = options.requestTimeout();
        this.idleTimeout = idleTimeout;
        this.cycleRefusals = refusals;
        this.limiter = new HttpConnectionLimiter(
                options.maxConnections(), options.maxConnectionsPerAddress(), refusals::connectionRefused);
        this.hostCheck = new HostCheck(new AllowedHosts(options.allowedHosts()), refusals);
    }

    /** Connections open now (refused ones never count). */
    public int open() {
        return limiter.open();
    }

    /**
     * Builds a new connection's pipeline.
     *
     * @param tls HTTPS if set, else null
     */
    public void addTo(Channel ch, SslContext tls, ChannelHandler routes) {
        // Read only when asked: RequestCycle reads a request, then nothing until it is answered.
        ch.config().setAutoRead(false);
        ChannelPipeline p = ch.pipeline();
        // First, before TLS: a connection over the caps costs no handshake and is never read.
        p.addLast(HttpHandlerNames.CONNECTION_LIMIT, limiter);
        if (tls != null) {
            p.addLast(HttpHandlerNames.TLS, tls.newHandler(ch.alloc()));
        }
        RequestCycle cycle = new RequestCycle(requestTimeout, idleTimeout, cycleRefusals);
        // Before the codec, so that it sees the first byte of each request (its deadline starts) and
        // holds the reads the codec and the aggregator ask for while a request is being answered. A
        // slowloris gets 408 at the deadline; a connection that sends nothing is closed when idle; a
        // client waiting for a slow answer keeps its connection.
        p.addLast(HttpHandlerNames.READ_GATE, cycle.gate());
        p.addLast(HttpHandlerNames.CODEC, new HttpServerCodec());
        // Before the aggregator, so it sees every response and closes a connection after a
        // "Connection: close" answer, or an HTTP/1.0 request without keep-alive.
        p.addLast(HttpHandlerNames.KEEP_ALIVE, new HttpServerKeepAliveHandler());
        // Whole requests for the routes; a body over the limit is answered 413 here.
        p.addLast(HttpHandlerNames.AGGREGATOR, new HttpObjectAggregator(maxRequestBytes));
        // After the aggregator, so that it holds whole requests; before the routes, so that their
        // answers pass it on the way out and let the next request go on, in request order (RFC 9112
        // section 9.3.2) whether the routes answer at once or later from a worker.
        p.addLast(HttpHandlerNames.IN_ORDER, cycle.order());
        // After the ordering, so that its 421 keeps its place among pipelined answers; before the
        // routes, so that a page of another site never reaches them (DNS rebinding).
        p.addLast(HttpHandlerNames.HOST_CHECK, hostCheck);
        p.addLast(HttpHandlerNames.ROUTES, routes);
    }

    /**
     * A header value for the log: at most 100 characters, control characters as '?', so the log gets
     * no surprises from a header.
     */
    public static String printable(String text) {
        String cut = text.length() > 100 ? text.substring(0, 100) + "..." : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
