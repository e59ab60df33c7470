package dev.rigtel.dashboard.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.rigtel.dashboard.access.AccessPolicy;
import dev.rigtel.dashboard.access.RefusalLog;
import dev.rigtel.dashboard.api.ApiProxy;
import dev.rigtel.dashboard.live.LiveHub;
import dev.rigtel.dashboard.metrics.DashboardMeters;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's HTTP pipeline in memory: real HTTP/1.1 request bytes in, response bytes out, a
 * stand-in collector API behind the proxy. Leak detection is paranoid (pom.xml): every buffer
 * read back here is released.
 */
class HttpRoutesTest {

    private static final String READ = "read-token-1234";
    private static final String CONTROL = "control-token-5678";

    private final ObjectMapper json = new ObjectMapper();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DashboardMeters meters = new DashboardMeters(registry);
    private final LiveHub hub = new LiveHub(json, meters, Clock.systemUTC(), 10);
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final List<String> collectorSaw = new CopyOnWriteArrayList<>();
    private HttpServer collector;
    private EmbeddedChannel channel;

    @BeforeEach
    void start() throws IOException {
        collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        collector.createContext("/", exchange -> {
            collectorSaw.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] answer = "{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(exchange.getRequestMethod().equals("POST") ? 201 : 200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        collector.start();
        channel = channel(new AccessPolicy(READ, CONTROL), 16);
    }

    @AfterEach
    void stop() {
        channel.finishAndReleaseAll();
        collector.stop(0);
        executor.shutdownNow();
    }

    private EmbeddedChannel channel(AccessPolicy policy, int queue) {
        ApiProxy proxy = new ApiProxy(
                URI.create("http://127.0.0.1:" + collector.getAddress().getPort()),
                "dashboard",
                "pw",
                Duration.ofSeconds(5),
                1 << 20,
                meters,
                executor);
        StaticFiles files = StaticFiles.of(Map.of(
                "index.html", "<!doctype html><title>live</title>".getBytes(StandardCharsets.UTF_8),
                "js/live.js", "export {};".getBytes(StandardCharsets.UTF_8)));
        HttpRoutes routes = new HttpRoutes(
                files,
                policy,
                new RefusalLog(meters, Clock.systemUTC(), line -> {}),
                proxy,
                hub,
                meters,
                registry,
                json,
                new HttpRoutes.Settings(queue, Duration.ofSeconds(15), 10, 20, 10, Map.of("Kim Falls", 20.0)));
        return new EmbeddedChannel(
                new HttpServerCodec(), new HttpServerKeepAliveHandler(), new HttpObjectAggregator(64 * 1024), routes);
    }

    /** A response as text, read and released. */
    record Response(int status, String head, String body) {
        String header(String name) {
            Matcher m =
                    Pattern.compile("(?im)^" + Pattern.quote(name) + ": (.*)$").matcher(head);
            return m.find() ? m.group(1).trim() : null;
        }
    }

    private void send(String request) {
        channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.UTF_8));
    }

    private String outbound() {
        channel.runPendingTasks();
        StringBuilder out = new StringBuilder();
        for (Object message = channel.readOutbound(); message != null; message = channel.readOutbound()) {
            ByteBuf buf = (ByteBuf) message;
            try {
                out.append(buf.toString(StandardCharsets.UTF_8));
            } finally {
                buf.release();
            }
        }
        return out.toString();
    }

    private static Response parse(String raw) {
        int end = raw.indexOf("\r\n\r\n");
        String head = raw.substring(0, end);
        return new Response(Integer.parseInt(head.substring(9, 12)), head, raw.substring(end + 4));
    }

    private Response get(String path, String... headers) {
        send("GET " + path + " HTTP/1.1\r\nHost: dash.local:8090\r\n" + String.join("", headers) + "\r\n");
        return parse(outbound());
    }

    private Response post(String path, String body, String... headers) {
        send("POST " + path + " HTTP/1.1\r\nHost: dash.local:8090\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n" + String.join("", headers) + "\r\n" + body);
        String raw = outbound();
        if (raw.isEmpty()) {
            StringBuilder later = new StringBuilder();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                later.append(outbound());
                return later.length() > 0;
            });
            raw = later.toString();
        }
        return parse(raw);
    }

    private static String cookie(String token) {
        return "Cookie: " + HttpRoutes.COOKIE + "=" + token + "\r\n";
    }

    private double refused(String reason) {
        return meters.count(DashboardMeters.ACCESS_REFUSED, "reason", reason);
    }

    @Test
    void servesThePageFilesToAnyoneWithTypeEtagAndContentSecurityPolicy() {
        Response page = get("/");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("content-type")).isEqualTo("text/html; charset=utf-8");
        assertThat(page.header("content-security-policy")).contains("default-src 'self'", "script-src 'self'");
        assertThat(page.header("etag")).isNotBlank();
        assertThat(page.body()).contains("<title>live</title>");
        assertThat(get("/js/live.js").header("content-type")).isEqualTo("text/javascript; charset=utf-8");
    }

    @Test
    void answers304WhenThePageIsUnchanged() {
        String etag = get("/").header("etag");

        Response again = get("/", "If-None-Match: " + etag + "\r\n");

        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void answers404ForAnUnknownPath() {
        assertThat(get("/nothing.html").status()).isEqualTo(404);
        assertThat(get("/../pom.xml").status()).isEqualTo(404);
    }

    @Test
    void healthSaysDegradedUntilTheLiveFeedIsUp() {
        assertThat(get("/health").status()).isEqualTo(503);

        hub.feedConnected(true);

        Response health = get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"", "\"live_feed\":\"connected\"");
    }

    @Test
    void sessionTellsThePageItsRightsWithoutRefusing() {
        assertThat(get("/session").body()).contains("\"rights\":\"none\"", "\"problem\":\"no-token\"");
        assertThat(get("/session", cookie(READ)).body()).contains("\"rights\":\"read\"");
        assertThat(get("/session", "Authorization: Bearer " + CONTROL + "\r\n").body())
                .contains(
                        "\"rights\":\"control\"",
                        "\"controls_enabled\":true",
                        "\"impact_g\":10.0",
                        "\"stunt_impact_g\":10.0",
                        "\"wearer_impact_g\":{\"Kim Falls\":20.0}");
        assertThat(refused("no-token")).isZero();
    }

    @Test
    void aTokenLinkSetsAnHttpOnlyCookieAndRedirectsWithoutTheToken() {
        Response link = get("/review.html?date=2026-11-21&token=" + READ);

        assertThat(link.status()).isEqualTo(303);
        assertThat(link.header("location")).isEqualTo("/review.html?date=2026-11-21");
        assertThat(link.header("set-cookie"))
                .contains(HttpRoutes.COOKIE + "=" + READ, "HTTPOnly", "SameSite=Strict", "Path=/");
    }

    @Test
    void aBadTokenLinkIsRefusedCountedAndClearsTheCookie() {
        Response link = get("/?token=guessed-token", "Accept: text/html\r\n");

        assertThat(link.status()).isEqualTo(401);
        assertThat(link.header("content-type")).startsWith("text/html");
        assertThat(link.header("set-cookie")).contains("Max-Age=0");
        assertThat(refused("bad-token")).isEqualTo(1);
    }

    @Test
    void theLiveStreamAndMetricsNeedReadRights() {
        Response stream = get("/live/stream");
        Response metrics = get("/metrics");

        assertThat(stream.status()).isEqualTo(401);
        assertThat(stream.header("www-authenticate")).startsWith("Bearer");
        assertThat(metrics.status()).isEqualTo(401);
        assertThat(refused("no-token")).isEqualTo(2);
        assertThat(get("/metrics", cookie(READ)).body()).contains("rigtel_dashboard_access_refused_requests_total");
    }

    @Test
    void theLiveStreamStartsWithTheSnapshotThenFollowsTheHub() {
        hub.accept("rigtel/v1/live/rig-01/state", "{\"v\":1,\"rig\":\"rig-01\",\"online\":true}".getBytes());

        send("GET /live/stream HTTP/1.1\r\nHost: dash.local\r\n" + cookie(READ) + "\r\n");
        String head = outbound();
        hub.accept("rigtel/v1/live/rig-01/trace", "{\"v\":1,\"rig\":\"rig-01\",\"t_nanos\":[1]}".getBytes());
        hub.accept("rigtel/v1/live/rig-01/event", "{\"v\":1,\"rig\":\"rig-01\",\"type\":\"impact\"}".getBytes());
        String rest = outbound();

        assertThat(head).contains("HTTP/1.1 200 OK", "content-type: text/event-stream", "transfer-encoding: chunked");
        assertThat(head).contains("retry: 2000", "event: snapshot\ndata: {\"v\":1,\"feed\"", "\"online\":true");
        assertThat(rest).contains("event: trace\ndata: {\"v\":1,\"rig\":\"rig-01\",\"t_nanos\":[1]}\n\n");
        assertThat(rest.indexOf("event: trace")).isLessThan(rest.indexOf("event: event"));
        assertThat(hub.subscribers()).isEqualTo(1);

        channel.close();
        assertThat(hub.subscribers()).isZero();
    }

    @Test
    void theLiveStreamSendsAHeartbeatEvery15Seconds() {
        send("GET /live/stream HTTP/1.1\r\nHost: dash.local\r\n" + cookie(READ) + "\r\n");
        outbound();

        channel.advanceTimeBy(14, java.util.concurrent.TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(outbound()).isEmpty();
        channel.advanceTimeBy(1, java.util.concurrent.TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertThat(outbound()).contains(": heartbeat\n\n");
    }

    @Test
    void aSlowBrowserLosesTracesButNotStatesAndCatchesUpWhenWritable() {
        send("GET /live/stream HTTP/1.1\r\nHost: dash.local\r\n" + cookie(READ) + "\r\n");
        outbound();
        // The socket's send buffer is full: Netty says the channel is not writable.
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);

        for (int n = 0; n < 100; n++) {
            hub.accept("rigtel/v1/live/rig-01/trace", ("{\"n\":" + n + "}").getBytes());
        }
        hub.accept("rigtel/v1/live/rig-01/state", "{\"v\":1,\"rig\":\"rig-01\",\"online\":false}".getBytes());
        assertThat(outbound()).isEmpty();

        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        String caughtUp = outbound();

        assertThat(caughtUp.split("event: trace", -1)).hasSize(16);
        assertThat(caughtUp).contains("event: state\ndata: {\"v\":1,\"rig\":\"rig-01\",\"online\":false}");
        assertThat(meters.count(DashboardMeters.LIVE_DROPPED, "kind", "trace")).isEqualTo(85);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aBrowserFarBehindOnStatesIsClosedToStartAgainFromASnapshot() {
        send("GET /live/stream HTTP/1.1\r\nHost: dash.local\r\n" + cookie(READ) + "\r\n");
        outbound();
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);

        for (int n = 0; n < 17; n++) {
            hub.accept("rigtel/v1/live/rig-01/alert", ("{\"n\":" + n + "}").getBytes());
        }
        channel.runPendingTasks();

        assertThat(channel.isOpen()).isFalse();
        assertThat(meters.count(DashboardMeters.BROWSERS_CLOSED, "reason", "overflow"))
                .isEqualTo(1);
        outbound();
    }

    @Test
    void readsArePassedToTheCollectorWithoutTheBrowsersToken() {
        Response answer = post("/api/days/2026-11-21/matrix?token=" + READ + "&x=1", "", "X-Method: GET\r\n");

        assertThat(answer.status()).isEqualTo(405);
        Response read = getAsync("/api/days/2026-11-21/matrix?x=1&token=" + READ);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).isEqualTo("{\"id\":\"x\"}");
        assertThat(collectorSaw).containsExactly("GET /api/days/2026-11-21/matrix?x=1 ");
    }

    @Test
    void apiPathsArePassedToTheCollectorAsSentEscapesAndPlusesIncluded() {
        for (String person : List.of("50%25%20off", "A%2BB", "A+B")) {
            assertThat(getAsync("/api/people/" + person + "/takes?date=2026-11-21&token=" + READ)
                            .status())
                    .as(person)
                    .isEqualTo(200);
        }
        assertThat(getAsync("/api/people/A+B/exposure?date=2026-11-21", "Authorization: Bearer " + READ + "\r\n")
                        .status())
                .isEqualTo(200);

        assertThat(collectorSaw)
                .containsExactly(
                        "GET /api/people/50%25%20off/takes?date=2026-11-21 ",
                        "GET /api/people/A%2BB/takes?date=2026-11-21 ",
                        "GET /api/people/A+B/takes?date=2026-11-21 ",
                        "GET /api/people/A+B/exposure?date=2026-11-21 ");
    }

    private Response getAsync(String path, String... headers) {
        send("GET " + path + " HTTP/1.1\r\nHost: dash.local:8090\r\n" + String.join("", headers) + "\r\n");
        StringBuilder raw = new StringBuilder();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            raw.append(outbound());
            return raw.length() > 0;
        });
        return parse(raw.toString());
    }

    @Test
    void slateEventsNeedTheControlTokenAndTheDashboardsOwnPage() {
        String event = "{\"v\":1,\"type\":\"cut\",\"rate\":\"25\"}";
        String json = "Content-Type: application/json\r\n";

        assertThat(post("/api/slate", event, json).status()).isEqualTo(401);
        assertThat(post("/api/slate", event, json, cookie(READ)).status()).isEqualTo(403);
        assertThat(post("/api/slate", event, json, cookie(CONTROL), "Origin: https://evil.example\r\n")
                        .status())
                .isEqualTo(403);
        assertThat(post("/api/slate", event, "Content-Type: text/plain\r\n", cookie(CONTROL))
                        .status())
                .isEqualTo(403);
        Response sent = post("/api/slate", event, json, cookie(CONTROL), "Origin: http://dash.local:8090\r\n");

        assertThat(sent.status()).isEqualTo(201);
        assertThat(collectorSaw).containsExactly("POST /api/slate " + event);
        assertThat(refused("no-token")).isEqualTo(1);
        assertThat(refused("no-control-rights")).isEqualTo(1);
        assertThat(refused("cross-origin")).isEqualTo(2);
    }

    @Test
    void controlsAreOffWithoutAControlToken() {
        channel.finishAndReleaseAll();
        channel = channel(new AccessPolicy("", ""), 16);

        Response command = post(
                "/api/rigs/rig-01/commands",
                "{\"command\":\"identify\"}",
                "Content-Type: application/json\r\n",
                "Authorization: Bearer control-token-5678\r\n");
        Response refusedWithout =
                post("/api/rigs/rig-01/commands", "{\"command\":\"identify\"}", "Content-Type: application/json\r\n");

        assertThat(command.status()).isEqualTo(401);
        assertThat(refusedWithout.status()).isEqualTo(403);
        assertThat(refusedWithout.body()).contains("--control-token");
        assertThat(refused("controls-off")).isEqualTo(1);
        assertThat(getAsync("/api/rigs").status()).isEqualTo(200);
    }

    @Test
    void refusesApiPathsThatLeaveTheApiAndMethodsItDoesNotPassOn() {
        assertThat(get("/api/%2e%2e/metrics", cookie(READ)).status()).isEqualTo(400);
        send("DELETE /api/rigs/rig-01/commands HTTP/1.1\r\nHost: d\r\n" + cookie(CONTROL) + "\r\n");
        assertThat(parse(outbound()).status()).isEqualTo(405);
        assertThat(collectorSaw).isEmpty();
    }

    @Test
    void answersABadPercentEscapeWith400InsteadOfDroppingTheConnection() {
        assertThat(get("/api/takes/%zz").status()).isEqualTo(400);
        assertThat(get("/?token=%zz").status()).isEqualTo(400);
        assertThat(collectorSaw).isEmpty();
    }

    @Test
    void answersAMalformedRequestWith400AndCloses() {
        send("GET / HTTP/1.1\r\nHost: d\r\nContent-Length: nope\r\n\r\n");

        Response response = parse(outbound());

        assertThat(response.status()).isEqualTo(400);
        assertThat(channel.isOpen()).isFalse();
    }
}
