package dev.rigtel.common.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Before the routes: answers a request whose {@code Host} this server does not answer for ({@link
 * AllowedHosts}) with 421 Misdirected Request (RFC 9110 section 15.5.20), and one without a {@code
 * Host}, with two, or with a malformed one with 400 (RFC 9112 section 3.2; an HTTP/1.0 request may
 * come without). An absolute request target ({@code GET http://name/ HTTP/1.1}) is judged by its
 * authority, which then stands for the {@code Host} (RFC 9112 section 3.2.2). After {@link
 * RequestCycle#order()}, so that its answers keep their place among pipelined ones. One instance
 * serves every connection.
 */
@ChannelHandler.Sharable
public final class HostCheck extends ChannelInboundHandlerAdapter {

    /** Counts and logs a refused request. */
    public interface Refusals {
        /**
         * @param reason {@code unknown-host} (421) or {@code bad-host} (400)
         * @param host the {@code Host} as sent, for the log; null if there was none
         */
        void refused(String reason, Channel channel, String host);
    }

    private final AllowedHosts allowed;
    private final Refusals refusals;

    public HostCheck(AllowedHosts allowed, Refusals refusals) {
        this.allowed = allowed;
        this.refusals = refusals;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
        String authority = absoluteAuthority(request.uri());
        AllowedHosts.Verdict verdict;
        String host = hosts.isEmpty() ? null : hosts.get(0);
        if (hosts.size() > 1) {
            verdict = AllowedHosts.Verdict.MALFORMED;
        } else if (authority != null) {
            host = authority;
            verdict = allowed.check(authority);
        } else if (host == null) {
            verdict = request.protocolVersion().equals(HttpVersion.HTTP_1_0)
                    ? AllowedHosts.Verdict.ALLOWED
                    : AllowedHosts.Verdict.MALFORMED;
        } else {
            verdict = allowed.check(host);
        }
        if (verdict == AllowedHosts.Verdict.ALLOWED) {
            ctx.fireChannelRead(request);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        ReferenceCountUtil.release(request);
        if (verdict == AllowedHosts.Verdict.UNKNOWN) {
            refusals.refused("unknown-host", ctx.channel(), host);
            respond(
                    ctx,
                    HttpResponseStatus.MISDIRECTED_REQUEST,
                    "this server does not answer for that host name: use its address, or add the name to its"
                            + " allowed hosts\n",
                    keepAlive);
        } else {
            refusals.refused("bad-host", ctx.channel(), host);
            respond(
                    ctx,
                    HttpResponseStatus.BAD_REQUEST,
                    "a request needs exactly one valid Host header (RFC 9112 section 3.2)\n",
                    false);
        }
    }

    /** The authority of an absolute-form request target, or null for the usual origin form. */
    private static String absoluteAuthority(String uri) {
        String lower = uri.length() > 8 ? uri.substring(0, 8).toLowerCase(Locale.ROOT) : uri.toLowerCase(Locale.ROOT);
        int start = lower.startsWith("http://") ? 7 : lower.startsWith("https://") ? 8 : -1;
        if (start < 0) {
            return null;
        }
        int end = start;
        while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
            end++;
        }
        String authority = uri.substring(start, end);
        // userinfo ("name@host") has no place in an http URI (RFC 9110 section 4.2.4).
        return authority.indexOf('@') >= 0 ? "" : authority;
    }

    private static void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String text, boolean keepAlive) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set("X-Content-Type-Options", "nosniff");
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
