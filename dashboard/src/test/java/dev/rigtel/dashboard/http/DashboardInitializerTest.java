package dev.rigtel.dashboard.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.rigtel.common.http.HttpServerOptions;
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
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's whole HTTP pipeline in memory, on the embedded event loop's clock (frozen, moved
 * by the test): how long a request may take to arrive, and that a slow answer is never cut.
 */
class DashboardInitializerTest {

    private static final String REQUEST = "GET /session HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

    private final ObjectMapper json = new ObjectMapper();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DashboardMeters meters = new DashboardMeters(registry);
    private final ExecutorService proxyExecutor = Executors.newFixedThreadPool(2);
    private final CountDownLatch collectorAnswers = new CountDownLatch(1);
    private HttpServer collector;
    private EmbeddedChannel channel;
    private HttpRoutes routes;

    @BeforeEach
    void start() throws IOException {
        collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        collector.createContext("/", exchange -> {
            try {
                collectorAnswers.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        collector.start();
        HttpRoutes routes = new HttpRoutes(
                StaticFiles.of(
                        Map.of("index.html", "<!doctype html><title>live</title>".getBytes(StandardCharsets.UTF_8))),
                new AccessPolicy("", ""),
                new RefusalLog(meters, Clock.systemUTC(), line -> {}),
                new ApiProxy(
                        URI.create("http://127.0.0.1:" + collector.getAddress().getPort()),
                        "",
                        "",
                        Duration.ofMinutes(5),
                        1 << 20,
                        meters,
                        proxyExecutor),
                new LiveHub(json, meters, Clock.systemUTC(), 10),
                meters,
                registry,
                json,
                new HttpRoutes.Settings(16, Duration.ofSeconds(15), 10, 20));
        this.routes = routes;
        channel = channel(new HttpServerOptions(256, 32, Duration.ofSeconds(10), Set.of("rigtel.local")));
    }

    private EmbeddedChannel channel(HttpServerOptions options) {
        EmbeddedChannel channel =
                new EmbeddedChannel(new DashboardInitializer(routes, meters, options, Clock.systemUTC()));
        channel.freezeTime();
        return channel;
    }

    @AfterEach
    void stop() {
        collectorAnswers.countDown();
        channel.finishAndReleaseAll();
        collector.stop(0);
        proxyExecutor.shutdownNow();
    }

    private void send(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
    }

    private void advance(long seconds) {
        channel.advanceTimeBy(seconds, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
    }

    private String outbound() {
        channel.runPendingTasks();
        StringBuilder out = new StringBuilder();
        for (Object message = channel.readOutbound(); message != null; message = channel.readOutbound()) {
            ByteBuf buf = (ByteBuf) message;
            out.append(buf.toString(StandardCharsets.UTF_8));
            buf.release();
        }
        return out.toString();
    }

    @Test
    void aClientSendingOneByteASecondGets408AtTheDeadline() {
        for (int i = 0; i < 9; i++) {
            send(REQUEST.substring(i, i + 1));
            advance(1);
        }
        assertThat(channel.isOpen()).as("9 s after the first byte").isTrue();
        assertThat(outbound()).isEmpty();

        send(REQUEST.substring(9, 10));
        advance(1);

        assertThat(outbound()).startsWith("HTTP/1.1 408 Request Timeout").contains("connection: close");
        assertThat(channel.isOpen()).isFalse();
        assertThat(meters.count(DashboardMeters.HTTP_REFUSED, "reason", "request-timeout"))
                .isEqualTo(1.0);
        assertThat(meters.count(DashboardMeters.HTTP_RESPONSES, "status", "408"))
                .isEqualTo(1.0);
    }

    @Test
    void aSlowAnswerFromTheCollectorIsNeverCut() {
        send("GET /api/takes/t1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        // Longer than the request deadline and the idle timeout: the browser waits, sending nothing.
        advance(120);
        assertThat(channel.isOpen()).isTrue();

        collectorAnswers.countDown();

        StringBuilder answer = new StringBuilder();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> answer.append(outbound()).toString().startsWith("HTTP/1.1 200"));
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void anIdleConnectionIsClosedWithoutAnAnswer() {
        send(REQUEST);
        assertThat(outbound()).startsWith("HTTP/1.1 200");

        advance(DashboardInitializer.IDLE_SECONDS - 1);
        assertThat(channel.isOpen()).isTrue();
        advance(1);

        assertThat(channel.isOpen()).isFalse();
        assertThat(outbound()).isEmpty();
    }

    private String getWithHost(String host) {
        send("GET /session HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
        return outbound();
    }

    @Test
    void answersIpLiteralsLocalhostAndListedNames() {
        assertThat(getWithHost("127.0.0.1:8090")).startsWith("HTTP/1.1 200");
        assertThat(getWithHost("192.168.10.20:8090")).startsWith("HTTP/1.1 200");
        assertThat(getWithHost("[::1]:8090")).startsWith("HTTP/1.1 200");
        assertThat(getWithHost("localhost:8090")).startsWith("HTTP/1.1 200");
        assertThat(getWithHost("Rigtel.Local:8090")).as("listed, in any case").startsWith("HTTP/1.1 200");
    }

    @Test
    void refusesAnUnknownNameWith421AndCountsIt() {
        // A page of evil.example whose name now resolves to the dashboard (DNS rebinding).
        assertThat(getWithHost("evil.example:8090"))
                .startsWith("HTTP/1.1 421 Misdirected Request")
                .doesNotContain("\"rights\"");
        assertThat(meters.count(DashboardMeters.HTTP_REFUSED, "reason", "unknown-host"))
                .isEqualTo(1.0);
        assertThat(meters.count(DashboardMeters.HTTP_RESPONSES, "status", "421"))
                .isEqualTo(1.0);
        assertThat(getWithHost("127.0.0.1:8090")).startsWith("HTTP/1.1 200");
    }

    @Test
    void aStarAllowsAnyName() {
        channel.finishAndReleaseAll();
        channel = channel(new HttpServerOptions(256, 32, Duration.ofSeconds(10), Set.of("*")));

        assertThat(getWithHost("anything.example:8090")).startsWith("HTTP/1.1 200");
    }
}
