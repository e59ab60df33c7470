package dev.rigtel.collector.http;

import dev.rigtel.collector.api.ApiRequest;
import dev.rigtel.collector.api.ApiResponse;
import dev.rigtel.collector.api.ReadAccess;
import dev.rigtel.collector.metrics.HttpMeters;
import dev.rigtel.common.log.RateLimitedLog;
import io.netty.buffer.ByteBufUtil;
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
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The collector's HTTP endpoints. {@code /metrics} and {@code /health} are answered from memory on
 * the event loop; {@code /api/...} is copied out of the request and answered on a worker.
 */
@ChannelHandler.Sharable
public final class HttpRoutes extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(HttpRoutes.class);

    /** A health answer: HTTP status and a JSON body. */
    public record Health(boolean healthy, String json) {}

    private final Supplier<String> prometheus;
    private final Supplier<Health> health;
    private final Function<ApiRequest, ApiResponse> api;
    private final Executor apiExecutor;
    private final ReadAccess reads;
    private final HttpMeters meters;
    private final RateLimitedLog refusals = new RateLimitedLog(log, Clock.systemUTC(), Duration.ofMinutes(1));

    /**
     * @param api answers {@code /api/...}; runs on {@code apiExecutor}, never on the event loop,
     *     because it may wait for InfluxDB
     */
    public HttpRoutes(
            Supplier<String> prometheus,
            Supplier<Health> health,
            Function<ApiRequest, ApiResponse> api,
            Executor apiExecutor,
            HttpMeters meters) {
        this(prometheus, health, api, apiExecutor, ReadAccess.open(), meters);
    }

    /**
     * @param reads who may read {@code /api/...} and {@code /metrics} ({@code /health} is open);
     *     checked on {@code apiExecutor}, as a password check may take a while
     */
    public HttpRoutes(
            Supplier<String> prometheus,
            Supplier<Health> health,
            Function<ApiRequest, ApiResponse> api,
            Executor apiExecutor,
            ReadAccess reads,
            HttpMeters meters) {
        this.reads = reads;
        this.meters = meters;
        this.prometheus = prometheus;
        this.health = health;
        this.api = api;
        this.apiExecutor = apiExecutor;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            respond(ctx, request, HttpResponseStatus.BAD_REQUEST, "text/plain", "bad request\n");
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path;
        try {
            // Both decode (and cache) here: a bad %-escape is answered, not a closed socket.
            path = uri.path();
            uri.parameters();
        } catch (IllegalArgumentException e) {
            respond(ctx, request, HttpResponseStatus.BAD_REQUEST, "text/plain", "malformed URI\n");
            return;
        }
        if (path.startsWith("/api/")) {
            // The raw path: the API splits it at '/' before decoding, once, so that %2F stays inside
            // a segment and %25 is not decoded twice.
            ApiRequest copy = new ApiRequest(
                    request.method().name(),
                    uri.rawPath(),
                    uri.parameters(),
                    ByteBufUtil.getBytes(request.content()),
                    Optional.ofNullable(request.headers().get(HttpHeaderNames.AUTHORIZATION)),
                    remoteAddress(ctx));
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpMethod method = request.method();
            boolean read = method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD);
            try {
                apiExecutor.execute(() -> {
                    ApiResponse answer;
                    try {
                        answer = read ? reads.refusal(copy).orElseGet(() -> api.apply(copy)) : api.apply(copy);
                    } catch (RuntimeException e) {
                        // Answered all the same: the connection reads its next request only after this one's answer.
                        log.warn("API request {} {} failed", copy.method(), copy.path(), e);
                        answer = ApiResponse.error(500, "internal error");
                    }
                    respond(
                            ctx,
                            method,
                            keepAlive,
                            HttpResponseStatus.valueOf(answer.status()),
                            answer.contentType(),
                            answer.body(),
                            answer.headers());
                });
            } catch (RejectedExecutionException e) {
                respond(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, "text/plain", "busy, retry\n");
            }
            return;
        }
        if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
            respond(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain", "use GET\n");
            return;
        }
        switch (path) {
            case "/metrics" -> metrics(ctx, request);
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

    /** {@code /metrics}: from memory on the event loop when reads are open, else after the check. */
    private void metrics(ChannelHandlerContext ctx, FullHttpRequest request) {
        String type = "text/plain; version=0.0.4; charset=utf-8";
        if (reads.isOpen()) {
            respond(ctx, request, HttpResponseStatus.OK, type, prometheus.get());
            return;
        }
        ApiRequest copy = new ApiRequest(
                request.method().name(),
                "/metrics",
                Map.of(),
                new byte[0],
                Optional.ofNullable(request.headers().get(HttpHeaderNames.AUTHORIZATION)),
                remoteAddress(ctx));
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpMethod method = request.method();
        try {
            apiExecutor.execute(() -> {
                Optional<ApiResponse> refused = reads.refusal(copy);
                if (refused.isPresent()) {
                    ApiResponse r = refused.get();
                    respond(
                            ctx,
                            method,
                            keepAlive,
                            HttpResponseStatus.valueOf(r.status()),
                            r.contentType(),
                            r.body(),
                            r.headers());
                } else {
                    respond(
                            ctx,
                            method,
                            keepAlive,
                            HttpResponseStatus.OK,
                            type,
                            prometheus.get().getBytes(StandardCharsets.UTF_8),
                            Map.of());
                }
            });
        } catch (RejectedExecutionException e) {
            respond(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, "text/plain", "busy, retry\n");
        }
    }

    /** The client's IP address as text, for the login limits. */
    private static String remoteAddress(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress()
                : "unknown";
    }

    private void respond(
            ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, String type, String body) {
        respond(
                ctx,
                request.method(),
                HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess(),
                status,
                type,
                body.getBytes(StandardCharsets.UTF_8),
                Map.of());
    }

    private void respond(
            ChannelHandlerContext ctx,
            HttpMethod method,
            boolean keepAlive,
            HttpResponseStatus status,
            String type,
            byte[] bytes,
            Map<String, String> headers) {
        meters.response(status.code());
        if (status.code() >= 400) {
            refusals.warn(
                    Integer.toString(status.code()),
                    "HTTP {} to {}: {}",
                    status.code(),
                    ctx.channel().remoteAddress(),
                    new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.UTF_8).strip());
        }
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                status,
                method.equals(HttpMethod.HEAD) ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        headers.forEach((name, value) -> response.headers().set(name, value));
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
