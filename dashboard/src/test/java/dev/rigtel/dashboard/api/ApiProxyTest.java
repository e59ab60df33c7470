package dev.rigtel.dashboard.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.rigtel.dashboard.metrics.DashboardMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy against a stand-in for the collector's HTTP API (the JDK's HttpServer). */
class ApiProxyTest {

    record Seen(String method, String uri, String authorization, String contentType, String body) {}

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger atOnce = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger mostAtOnce =
            new java.util.concurrent.atomic.AtomicInteger();
    private final DashboardMeters meters = new DashboardMeters(new SimpleMeterRegistry());
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private HttpServer collector;

    @BeforeEach
    void startCollector() throws IOException {
        collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        collector.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            seen.add(new Seen(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().toString(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    new String(body, StandardCharsets.UTF_8)));
            String path = exchange.getRequestURI().getPath();
            if (path.endsWith("/slow")) {
                sleep(2_000);
            }
            if (path.endsWith("/busy")) {
                mostAtOnce.accumulateAndGet(atOnce.incrementAndGet(), Math::max);
                sleep(100);
                atOnce.decrementAndGet();
            }
            byte[] answer;
            if (path.endsWith("cuts.edl")) {
                answer = "TITLE: 12A-1\nFCM: NON-DROP FRAME\n".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                exchange.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"12A-1.edl\"");
                exchange.sendResponseHeaders(200, answer.length);
            } else if (path.endsWith("/big")) {
                answer = new byte[100_000];
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
            } else if (path.endsWith("/missing")) {
                answer = "{\"error\":\"no take missing\"}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(404, answer.length);
            } else {
                answer = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(exchange.getRequestMethod().equals("POST") ? 201 : 200, answer.length);
            }
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        collector.setExecutor(Executors.newCachedThreadPool());
        collector.start();
    }

    @AfterEach
    void stop() {
        collector.stop(0);
        executor.shutdownNow();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ApiProxy proxy(int port, Duration timeout, int maxBytes) {
        return new ApiProxy(
                URI.create("http://127.0.0.1:" + port), "dashboard", "s3cret", timeout, maxBytes, meters, executor);
    }

    private ApiProxy proxy() {
        return proxy(collector.getAddress().getPort(), Duration.ofSeconds(5), 64 * 1024);
    }

    private static ApiProxy.Answer get(ApiProxy proxy, String uri) throws Exception {
        return proxy.forward("GET", uri, new byte[0], null).get(10, TimeUnit.SECONDS);
    }

    @Test
    void passesAReadOnWithItsQueryAndTheDashboardsOwnCredentials() throws Exception {
        ApiProxy.Answer answer = get(proxy(), "/api/takes/t1/series?rig=rig-01&from_ns=5&max_points=10");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s.uri()).isEqualTo("/api/takes/t1/series?rig=rig-01&from_ns=5&max_points=10");
            // The collector's reads need a user (unless --open-reads); the browser's never reach it.
            assertThat(s.authorization())
                    .isEqualTo("Basic " + java.util.Base64.getEncoder().encodeToString("dashboard:s3cret".getBytes()));
        });
        assertThat(meters.registry()
                        .find(DashboardMeters.PROXY_REQUESTS)
                        .tag("result", "2xx")
                        .timer()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void neverHasMoreThanSixteenRequestsAtTheCollectorAtOnceAndAnswersThemAll() throws Exception {
        ApiProxy proxy = proxy(collector.getAddress().getPort(), Duration.ofSeconds(30), 64 * 1024);
        List<java.util.concurrent.CompletableFuture<ApiProxy.Answer>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            answers.add(proxy.forward("GET", "/api/takes/t" + i + "/busy", new byte[0], null));
        }

        for (var answer : answers) {
            assertThat(answer.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
        assertThat(seen).hasSize(100);
        // Over it, the collector's per-address cap (32) would close the dashboard's connections.
        assertThat(mostAtOnce.get()).isBetween(2, ApiProxy.MAX_IN_FLIGHT);
    }

    @Test
    void sendsSlateEventsWithTheDashboardsOwnCredentials() throws Exception {
        byte[] event = "{\"type\":\"cut\",\"rate\":\"25\"}".getBytes(StandardCharsets.UTF_8);

        ApiProxy.Answer answer =
                proxy().forward("POST", "/api/slate", event, "application/json").get(10, TimeUnit.SECONDS);

        assertThat(answer.status()).isEqualTo(201);
        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s.method()).isEqualTo("POST");
            assertThat(s.authorization())
                    .isEqualTo("Basic " + java.util.Base64.getEncoder().encodeToString("dashboard:s3cret".getBytes()));
            assertThat(s.contentType()).isEqualTo("application/json");
            assertThat(s.body()).isEqualTo("{\"type\":\"cut\",\"rate\":\"25\"}");
        });
    }

    @Test
    void passesTheCollectorsAnswerOnAsItIs() throws Exception {
        ApiProxy.Answer edl = get(proxy(), "/api/takes/t1/cuts.edl");
        ApiProxy.Answer missing = get(proxy(), "/api/takes/missing");

        assertThat(edl.contentType()).isEqualTo("text/plain; charset=utf-8");
        assertThat(edl.contentDisposition()).isEqualTo("attachment; filename=\"12A-1.edl\"");
        assertThat(new String(edl.body(), StandardCharsets.UTF_8)).startsWith("TITLE: 12A-1");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(new String(missing.body(), StandardCharsets.UTF_8)).contains("no take missing");
    }

    @Test
    void answers502WhenTheCollectorCannotBeReached() throws Exception {
        int unused;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            unused = socket.getLocalPort();
        }

        ApiProxy.Answer answer = get(proxy(unused, Duration.ofSeconds(5), 1024), "/api/rigs");

        assertThat(answer.status()).isEqualTo(502);
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("cannot be reached");
        assertThat(meters.registry()
                        .find(DashboardMeters.PROXY_REQUESTS)
                        .tag("result", "unreachable")
                        .timer()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void answers504WhenTheCollectorIsTooSlow() throws Exception {
        ApiProxy.Answer answer =
                get(proxy(collector.getAddress().getPort(), Duration.ofMillis(300), 1024), "/api/slow");

        assertThat(answer.status()).isEqualTo(504);
    }

    @Test
    void refusesAnswersLargerThanTheLimit() throws Exception {
        ApiProxy.Answer answer =
                get(proxy(collector.getAddress().getPort(), Duration.ofSeconds(5), 10_000), "/api/big");

        assertThat(answer.status()).isEqualTo(502);
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("larger than 10000 bytes");
    }

    @Test
    void answers400ForAPathTheHttpClientCannotSend() throws Exception {
        assertThat(get(proxy(), "/api/takes/a b").status()).isEqualTo(400);
        assertThat(seen).isEmpty();
    }
}
