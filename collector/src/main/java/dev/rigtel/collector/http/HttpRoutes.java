package dev.rigtel.collector.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The collector's HTTP endpoints. Each answer is computed from in-memory state only (no InfluxDB
 * call), so it is safe on the event loop.
 */
@ChannelHandler.Sharable
public final class HttpRoutes extends SimpleChannelInboundHandler<FullHttpRequest> {

    /** A health answer: HTTP status and a JSON body. */
    public record Health(boolean healthy, String json) {}

    private final Supplier<String> prometheus;
    private final Supplier<Health> health;

    public HttpRoutes(Supplier<String> prometheus, Supplier<Health> health) {
        this.prometheus = prometheus;
        this.health = health;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            respond(ctx, request, HttpResponseStatus.BAD_REQUEST, "text/plain", "bad request\n");
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
            respond(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain", "use GET\n");
            return;
        }
        switch (path) {
            case "/metrics" ->
                respond(
                        ctx,
                        request,
                        HttpResponseStatus.OK,
                        "text/plain; version=0.0.4; charset=utf-8",
                        prometheus.get());
            case "/health" -> {
                Health h = health.get();
                respond(
                        ctx,
                        request,
                        h.healthy() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "application/json",
                        h.json());
            }
            default ->
                respond(
                        ctx,
                        request,
                        HttpResponseStatus.NOT_FOUND,
                        "text/plain",
                        "not found; try /metrics or /health\n");
        }
    }

    private static void respond(
            ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, String type, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                status,
                request.method().equals(HttpMethod.HEAD) ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        boolean keepAlive =
                HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
        HttpUtil.setKeepAlive(response, keepAlive);
        var future = ctx.writeAndFlush(response);
        if (!keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
