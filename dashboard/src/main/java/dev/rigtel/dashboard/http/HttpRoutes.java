package dev.rigtel.dashboard.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rigtel.dashboard.access.AccessPolicy;
import dev.rigtel.dashboard.access.Refusal;
import dev.rigtel.dashboard.access.RefusalLog;
import dev.rigtel.dashboard.access.Rights;
import dev.rigtel.dashboard.api.ApiProxy;
import dev.rigtel.dashboard.api.ApiRoute;
import dev.rigtel.dashboard.live.LiveHub;
import dev.rigtel.dashboard.metrics.DashboardMeters;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.QueryStringEncoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.CookieHeaderNames;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every HTTP request of the dashboard, routed by path; the one handler instance serves every
 * connection. Nothing here waits: static files are in memory, the collector's API is called
 * asynchronously and answered when it completes, a live stream hands its connection to an
 * {@link EventStream}.
 *
 * <table>
 *   <caption>Routes and the rights they need</caption>
 *   <tr><th>route</th><th>rights</th></tr>
 *   <tr><td>{@code GET /health}, {@code GET /session}, page files</td><td>none</td></tr>
 *   <tr><td>{@code GET /live/stream}, {@code GET /metrics}, {@code GET /api/...}</td><td>read</td></tr>
 *   <tr><td>{@code POST /api/slate}, {@code POST /api/rigs/{rig}/commands}</td><td>control</td></tr>
 * </table>
 */
@ChannelHandler.Sharable
public final class HttpRoutes extends SimpleChannelInboundHandler<FullHttpRequest> {

    /** The cookie that a {@code ?token=} link sets. */
    public static final String COOKIE = "rigtel_dashboard";

    /**
     * What the routes need besides their collaborators.
     *
     * @param browserQueueMessages capacity of each browser's queue
     * @param heartbeat interval of the live stream's heartbeat comments
     * @param impactAlertG the live page raises an alert for impacts over this
     * @param batteryLowPercent the live page raises an alert for batteries under this
     * @param stuntImpactAlertG the impact alert threshold while a take rolled with the slate's stunt
     *     flag is rolling
     * @param wearerImpactAlertG a wearer's own impact alert threshold, by name
     */
    public record Settings(
            int browserQueueMessages,
            Duration heartbeat,
            double impactAlertG,
            double batteryLowPercent,
            double stuntImpactAlertG,
            Map<String, Double> wearerImpactAlertG) {

        public Settings {
            wearerImpactAlertG = Map.copyOf(wearerImpactAlertG);
        }

        /** Settings whose stunt takes alert as every other take. */
        public Settings(int browserQueueMessages, Duration heartbeat, double impactAlertG, double batteryLowPercent) {
            this(browserQueueMessages, heartbeat, impactAlertG, batteryLowPercent, impactAlertG, Map.of());
        }
    }

    private final StaticFiles files;
    private final AccessPolicy policy;
    private final RefusalLog refusals;
    private final ApiProxy proxy;
    private final LiveHub hub;
    private final DashboardMeters meters;
    private final PrometheusMeterRegistry registry;
    private final ObjectMapper json;
    private final Settings settings;

    public HttpRoutes(
            StaticFiles files,
            AccessPolicy policy,
            RefusalLog refusals,
            ApiProxy proxy,
            LiveHub hub,
            DashboardMeters meters,
            PrometheusMeterRegistry registry,
            ObjectMapper json,
            Settings settings) {
        this.files = files;
        this.policy = policy;
        this.refusals = refusals;
        this.proxy = proxy;
        this.hub = hub;
        this.meters = meters;
        this.registry = registry;
        this.json = json;
        this.settings = settings;
    }

    /** Where a request's token came from. */
    private enum Source {
        NONE,
        HEADER,
        QUERY,
        COOKIE
    }

    private record Token(Optional<String> value, Source source) {}

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            send(ctx, request, Responses.error(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request"), true);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path;
        try {
            // Both decode (and cache) here: a bad %-escape is the browser's error, not a closed socket.
            path = uri.path();
            uri.parameters();
        } catch (IllegalArgumentException e) {
            send(
                    ctx,
                    request,
                    Responses.error(HttpResponseStatus.BAD_REQUEST, "malformed URI: " + e.getMessage()),
                    false);
            return;
        }
        HttpMethod method = request.method();
        boolean getOrHead = method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD);

        if (path.equals("/health") && getOrHead) {
            health(ctx, request);
            return;
        }
        Token token = token(request, uri);
        AccessPolicy.Decision decision = policy.decide(token.value());
        boolean api = uri.rawPath().startsWith(ApiRoute.PREFIX);

        if (token.source() == Source.QUERY && getOrHead && !api && !path.equals("/live/stream")) {
            tokenLink(ctx, request, uri, decision, token.value().orElseThrow());
            return;
        }
        if (path.equals("/session") && getOrHead) {
            session(ctx, request, decision);
            return;
        }
        if (path.equals("/live/stream") && method.equals(HttpMethod.GET)) {
            if (readable(ctx, request, decision, token)) {
                new EventStream(ctx.channel(), hub, settings.browserQueueMessages(), settings.heartbeat(), meters)
                        .start();
            }
            return;
        }
        if (path.equals("/metrics") && getOrHead) {
            if (readable(ctx, request, decision, token)) {
                FullHttpResponse response = Responses.of(
                        HttpResponseStatus.OK,
                        "text/plain; version=0.0.4; charset=utf-8",
                        registry.scrape().getBytes(StandardCharsets.UTF_8));
                send(ctx, request, response, false);
            }
            return;
        }
        if (api) {
            api(ctx, request, uri, decision, token);
            return;
        }
        if (getOrHead) {
            Optional<StaticFiles.File> file = files.find(path);
            if (file.isPresent()) {
                staticFile(ctx, request, file.get());
                return;
            }
        }
        send(ctx, request, Responses.error(HttpResponseStatus.NOT_FOUND, "not found: " + path), false);
    }

    private Token token(FullHttpRequest request, QueryStringDecoder uri) {
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new Token(Optional.of(authorization.substring(7).trim()), Source.HEADER);
        }
        List<String> query = uri.parameters().get("token");
        if (query != null && !query.isEmpty()) {
            return new Token(Optional.of(query.get(0)), Source.QUERY);
        }
        String cookies = request.headers().get(HttpHeaderNames.COOKIE);
        if (cookies != null) {
            for (Cookie cookie : ServerCookieDecoder.STRICT.decode(cookies)) {
                if (cookie.name().equals(COOKIE) && !cookie.value().isEmpty()) {
                    return new Token(Optional.of(cookie.value()), Source.COOKIE);
                }
            }
        }
        return new Token(Optional.empty(), Source.NONE);
    }

    /**
     * {@code ?token=T} on a page: a valid token becomes an HttpOnly cookie and the browser is sent
     * to the same address without it, so the token leaves the address bar and the history.
     */
    private void tokenLink(
            ChannelHandlerContext ctx,
            FullHttpRequest request,
            QueryStringDecoder uri,
            AccessPolicy.Decision decision,
            String token) {
        if (decision instanceof AccessPolicy.Decision.Refused refused) {
            refuse(ctx, request, refused.refusal(), true);
            return;
        }
        FullHttpResponse response = Responses.of(HttpResponseStatus.SEE_OTHER, null, new byte[0]);
        response.headers()
                .set(HttpHeaderNames.LOCATION, withoutToken(uri))
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set(HttpHeaderNames.SET_COOKIE, ServerCookieEncoder.STRICT.encode(cookie(token, false)));
        send(ctx, request, response, false);
    }

    private static Cookie cookie(String value, boolean clear) {
        DefaultCookie cookie = new DefaultCookie(COOKIE, value);
        cookie.setHttpOnly(true);
        cookie.setPath("/");
        // Strict: a page of another site cannot make the browser send it (no cross-site requests).
        cookie.setSameSite(CookieHeaderNames.SameSite.Strict);
        if (clear) {
            cookie.setMaxAge(0);
        }
        return cookie;
    }

    private void session(ChannelHandlerContext ctx, FullHttpRequest request, AccessPolicy.Decision decision) {
        ObjectNode body = json.createObjectNode();
        if (decision instanceof AccessPolicy.Decision.Granted granted) {
            body.put("rights", granted.rights().name().toLowerCase(java.util.Locale.ROOT));
            body.putNull("problem");
        } else {
            body.put("rights", "none");
            body.put(
                    "problem",
                    ((AccessPolicy.Decision.Refused) decision).refusal().tag());
        }
        body.put("read_open", policy.readOpen());
        body.put("controls_enabled", policy.controlsEnabled());
        ObjectNode thresholds = body.putObject("thresholds");
        thresholds.put("impact_g", settings.impactAlertG());
        thresholds.put("battery_low_percent", settings.batteryLowPercent());
        thresholds.put("stunt_impact_g", settings.stuntImpactAlertG());
        ObjectNode wearers = thresholds.putObject("wearer_impact_g");
        new java.util.TreeMap<>(settings.wearerImpactAlertG()).forEach(wearers::put);
        send(ctx, request, Responses.json(HttpResponseStatus.OK, body.toString()), false);
    }

    private void health(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean up = hub.feedConnected();
        ObjectNode body = json.createObjectNode();
        body.put("status", up ? "UP" : "DEGRADED");
        body.put("live_feed", up ? "connected" : "disconnected");
        body.put("browsers", hub.subscribers());
        body.put("rigs", hub.states().size());
        // Each collector's feed; DEGRADED (503) while any one is down, as with a single collector.
        com.fasterxml.jackson.databind.node.ArrayNode feeds = body.putArray("feeds");
        for (LiveHub.FeedStatus feed : hub.feeds()) {
            feeds.addObject()
                    .put("url", feed.source())
                    .put("connected", feed.connected())
                    .put("since_ms", feed.sinceMillis());
        }
        body.put("collector_url", proxy.currentUrl());
        send(
                ctx,
                request,
                Responses.json(up ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, body.toString()),
                false);
    }

    private boolean readable(
            ChannelHandlerContext ctx, FullHttpRequest request, AccessPolicy.Decision decision, Token token) {
        if (decision instanceof AccessPolicy.Decision.Refused refused) {
            refuse(ctx, request, refused.refusal(), token.source() == Source.COOKIE);
            return false;
        }
        return true;
    }

    private void api(
            ChannelHandlerContext ctx,
            FullHttpRequest request,
            QueryStringDecoder uri,
            AccessPolicy.Decision decision,
            Token token) {
        String method = request.method().name();
        ApiRoute route = ApiRoute.of(method, uri.rawPath());
        switch (route) {
            case BAD_PATH -> {
                send(ctx, request, Responses.error(HttpResponseStatus.BAD_REQUEST, "not a valid API path"), false);
                return;
            }
            case METHOD_NOT_ALLOWED -> {
                send(
                        ctx,
                        request,
                        Responses.error(
                                HttpResponseStatus.METHOD_NOT_ALLOWED,
                                "the dashboard passes on GET requests, POST /api/slate and POST"
                                        + " /api/rigs/{rig}/commands"),
                        false);
                return;
            }
            default -> {
                // READ or CONTROL: checked below.
            }
        }
        if (!readable(ctx, request, decision, token)) {
            return;
        }
        Rights rights = ((AccessPolicy.Decision.Granted) decision).rights();
        if (route == ApiRoute.CONTROL) {
            Optional<Refusal> refusal = policy.controlRefusal(rights);
            if (refusal.isEmpty() && !sameOrigin(request)) {
                refusal = Optional.of(Refusal.CROSS_ORIGIN);
            }
            if (refusal.isPresent()) {
                refuse(ctx, request, refusal.get(), false);
                return;
            }
        }
        byte[] body = ByteBufUtil.getBytes(request.content());
        String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        proxy.forward(method, withoutToken(uri), body, contentType).thenAccept(answer -> {
            FullHttpResponse response =
                    Responses.of(HttpResponseStatus.valueOf(answer.status()), answer.contentType(), answer.body());
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
            if (answer.contentDisposition() != null) {
                response.headers().set(HttpHeaderNames.CONTENT_DISPOSITION, answer.contentDisposition());
            }
            meters.response(answer.status());
            HttpUtil.setKeepAlive(response, keepAlive);
            // Safe from the HTTP client's thread: Netty runs the write on the channel's event loop.
            ctx.writeAndFlush(response)
                    .addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
        });
    }

    /** The request's URI as sent, minus a {@code token} parameter: the browser's token stays here. */
    private static String withoutToken(QueryStringDecoder uri) {
        if (!uri.parameters().containsKey("token")) {
            return uri.uri();
        }
        QueryStringEncoder clean = new QueryStringEncoder(uri.rawPath());
        uri.parameters().forEach((key, values) -> {
            if (!key.equals("token")) {
                values.forEach(value -> clean.addParam(key, value));
            }
        });
        return clean.toString();
    }

    /**
     * A slate event or command must come from the dashboard's own pages (or a tool that sends no
     * {@code Origin}), as JSON: a form on another site can send neither JSON nor our cookie
     * (SameSite=Strict), so both together close the door on cross-site requests.
     */
    private static boolean sameOrigin(FullHttpRequest request) {
        String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (contentType == null
                || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            return false;
        }
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin == null) {
            return true;
        }
        String host = request.headers().get(HttpHeaderNames.HOST);
        return host != null && (origin.equals("http://" + host) || origin.equals("https://" + host));
    }

    private void refuse(ChannelHandlerContext ctx, FullHttpRequest request, Refusal refusal, boolean clearCookie) {
        refusals.refused(
                refusal,
                request.method().name() + " " + new QueryStringDecoder(request.uri()).rawPath() + " from "
                        + ctx.channel().remoteAddress());
        HttpResponseStatus status = HttpResponseStatus.valueOf(refusal.status());
        String message =
                switch (refusal) {
                    case NO_TOKEN ->
                        "this dashboard needs a token: open it with the link that ends in ?token=...,"
                                + " or send Authorization: Bearer <token>";
                    case BAD_TOKEN -> "the token is not valid for this dashboard (ask for a new link)";
                    case NO_CONTROL_RIGHTS -> "slate events and rig commands need the control token";
                    case CONTROLS_OFF ->
                        "slate events and rig commands are off: the dashboard runs without" + " --control-token";
                    case CROSS_ORIGIN ->
                        "slate events and rig commands must come from the dashboard's own pages," + " as JSON";
                };
        String accept = request.headers().get(HttpHeaderNames.ACCEPT, "");
        FullHttpResponse response = accept.contains("text/html")
                ? Responses.html(status, "Not allowed", message)
                : Responses.error(status, message);
        if (refusal.status() == 401) {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"rigtel dashboard\"");
        }
        if (clearCookie || refusal == Refusal.BAD_TOKEN) {
            response.headers().set(HttpHeaderNames.SET_COOKIE, ServerCookieEncoder.STRICT.encode(cookie("", true)));
        }
        send(ctx, request, response, false);
    }

    private void staticFile(ChannelHandlerContext ctx, FullHttpRequest request, StaticFiles.File file) {
        String match = request.headers().get(HttpHeaderNames.IF_NONE_MATCH);
        FullHttpResponse response;
        if (file.etag().equals(match)) {
            // Content-Length 0 keeps the connection open (HttpServerKeepAliveHandler needs a length).
            response = Responses.of(HttpResponseStatus.NOT_MODIFIED, null, new byte[0]);
        } else {
            byte[] body = request.method().equals(HttpMethod.HEAD) ? new byte[0] : file.body();
            response = Responses.of(HttpResponseStatus.OK, file.contentType(), body);
            HttpUtil.setContentLength(response, file.body().length);
        }
        response.headers()
                .set(HttpHeaderNames.ETAG, file.etag())
                // Always revalidated (cheap: 304 by ETag), so a new version shows after a reload.
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        if (file.contentType().startsWith("text/html")) {
            response.headers().set("Content-Security-Policy", Responses.CONTENT_SECURITY_POLICY);
        }
        send(ctx, request, response, false);
    }

    private void send(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response, boolean close) {
        meters.response(response.status().code());
        boolean keepAlive = !close && HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        ctx.writeAndFlush(response)
                .addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
