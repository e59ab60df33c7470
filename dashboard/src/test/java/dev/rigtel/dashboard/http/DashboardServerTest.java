package dev.rigtel.dashboard.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.rigtel.collector.testing.RawHttpClient;
import dev.rigtel.common.http.HttpServerOptions;
import dev.rigtel.dashboard.access.AccessPolicy;
import dev.rigtel.dashboard.access.RefusalLog;
import dev.rigtel.dashboard.api.ApiProxy;
import dev.rigtel.dashboard.live.LiveHub;
import dev.rigtel.dashboard.metrics.DashboardMeters;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's HTTP listener on a real socket with its real pipeline, a stand-in collector behind
 * the proxy, driven by a client that writes raw bytes.
 */
class DashboardServerTest {

    private final ObjectMapper json = new ObjectMapper();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DashboardMeters meters = new DashboardMeters(registry);
    private final ExecutorService proxyExecutor = Executors.newFixedThreadPool(2);
    private HttpServer collector;
    private LiveHub hub;
    private HttpRoutes routes;
    private EventLoopGroup group;
    private DashboardServer server;

    @BeforeEach
    void start() throws IOException, InterruptedException {
        collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        collector.createContext("/", exchange -> {
            byte[] answer = ("{\"path\":\"" + exchange.getRequestURI() + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        collector.start();
        hub = new LiveHub(json, meters, Clock.systemUTC(), 10);
        ApiProxy proxy = new ApiProxy(
                URI.create("http://127.0.0.1:" + collector.getAddress().getPort()),
                "",
                "",
                Duration.ofSeconds(5),
                1 << 20,
                meters,
                proxyExecutor);
        HttpRoutes routes = new HttpRoutes(
                StaticFiles.of(
                        Map.of("index.html", "<!doctype html><title>live</title>".getBytes(StandardCharsets.UTF_8))),
                new AccessPolicy("", ""),
                new RefusalLog(meters, Clock.systemUTC(), line -> {}),
                proxy,
                hub,
                meters,
                registry,
                json,
                new HttpRoutes.Settings(16, Duration.ofSeconds(15), 10, 20));
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.routes = routes;
    }

    private DashboardServer start(HttpServerOptions options) throws InterruptedException {
        server = DashboardServer.start(
                "127.0.0.1", 0, group, group, new DashboardInitializer(routes, meters, options, Clock.systemUTC()));
        return server;
    }

    private double refused(String reason) {
        return meters.count(DashboardMeters.HTTP_REFUSED, "reason", reason);
    }

    /** A connection from {@code from} that got an answer: the server has it open. */
    private RawHttpClient answered(String from) {
        RawHttpClient client = RawHttpClient.openFrom(from, server.port());
        assertThat(client.send("GET /session HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                        .read()
                        .status())
                .isEqualTo(200);
        return client;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        proxyExecutor.shutdownNow();
        collector.stop(0);
    }

    @Test
    void answersPipelinedRequestsInTheOrderTheyCame() throws InterruptedException {
        start(HttpServerOptions.DEFAULTS);
        // /api/... waits for the collector, /health is answered at once: written in one packet, the
        // /health answer was written while the API request still waited for the collector.
        try (RawHttpClient client = RawHttpClient.open(server.port())) {
            client.send("GET /api/takes/t1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + "GET /api/takes/t2 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + "GET /session HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

            assertThat(client.read().body()).isEqualTo("{\"path\":\"/api/takes/t1\"}");
            assertThat(client.read().body()).contains("\"live_feed\"");
            assertThat(client.read().body()).isEqualTo("{\"path\":\"/api/takes/t2\"}");
            assertThat(client.read().body()).contains("\"rights\"");
        }
    }

    @Test
    void aLiveStreamReadsAgainSoABrowserThatLeavesIsNoticedAtOnce() throws InterruptedException {
        start(HttpServerOptions.DEFAULTS);
        RawHttpClient client = RawHttpClient.open(server.port());
        client.send("GET /live/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(client.read().header("content-type")).startsWith("text/event-stream");
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.subscribers() == 1);

        client.close();

        // The heartbeat (15 s) would find it gone only later: the closed socket is read at once.
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.subscribers() == 0);
    }

    @Test
    void closesAConnectionOverThePerAddressCapWhileAnotherAddressStillConnects() throws InterruptedException {
        start(new HttpServerOptions(256, 2, Duration.ofSeconds(10)));
        List<RawHttpClient> open = new ArrayList<>();
        try {
            open.add(answered("127.0.0.1"));
            open.add(answered("127.0.0.1"));

            try (RawHttpClient third = RawHttpClient.openFrom("127.0.0.1", server.port())) {
                assertThat(third.closedByServer(Duration.ofSeconds(5))).isTrue();
            }
            open.add(answered("127.0.0.2"));
            assertThat(refused("address-limit")).isEqualTo(1.0);
        } finally {
            open.forEach(RawHttpClient::close);
        }
    }

    @Test
    void closesAConnectionOverTheTotalCap() throws InterruptedException {
        start(new HttpServerOptions(3, 2, Duration.ofSeconds(10)));
        List<RawHttpClient> open = new ArrayList<>();
        try {
            open.add(answered("127.0.0.1"));
            open.add(answered("127.0.0.2"));
            open.add(answered("127.0.0.3"));

            try (RawHttpClient fourth = RawHttpClient.openFrom("127.0.0.4", server.port())) {
                assertThat(fourth.closedByServer(Duration.ofSeconds(5))).isTrue();
            }
            assertThat(refused("connection-limit")).isEqualTo(1.0);
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(registry.get(DashboardMeters.HTTP_CONNECTIONS)
                                    .gauge()
                                    .value())
                            .isEqualTo(3.0));
        } finally {
            open.forEach(RawHttpClient::close);
        }
    }
}
