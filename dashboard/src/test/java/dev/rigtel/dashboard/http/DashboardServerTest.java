package dev.rigtel.dashboard.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.rigtel.collector.testing.RawHttpClient;
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
        server = DashboardServer.start(
                "127.0.0.1",
                0,
                group,
                group,
                new DashboardInitializer(routes, meters, Duration.ofSeconds(5), Clock.systemUTC()));
    }

    @AfterEach
    void stop() {
        server.close();
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        proxyExecutor.shutdownNow();
        collector.stop(0);
    }

    @Test
    void answersPipelinedRequestsInTheOrderTheyCame() {
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
    void aLiveStreamReadsAgainSoABrowserThatLeavesIsNoticedAtOnce() {
        RawHttpClient client = RawHttpClient.open(server.port());
        client.send("GET /live/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(client.read().header("content-type")).startsWith("text/event-stream");
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.subscribers() == 1);

        client.close();

        // The heartbeat (15 s) would find it gone only later: the closed socket is read at once.
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.subscribers() == 0);
    }
}
