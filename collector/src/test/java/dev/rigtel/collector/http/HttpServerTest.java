package dev.rigtel.collector.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rigtel.collector.api.ApiResponse;
import dev.rigtel.collector.metrics.HttpMeters;
import dev.rigtel.collector.testing.RawHttpClient;
import dev.rigtel.common.http.HttpServerOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The collector's HTTP listener on a real socket, driven by a client that writes raw bytes. */
class HttpServerTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HttpMeters meters = new HttpMeters(registry);
    private final ExecutorService apiExecutor = Executors.newSingleThreadExecutor();
    private EventLoopGroup group;
    private HttpServer server;

    @BeforeEach
    void start() throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    private HttpServer start(HttpServerOptions options) throws InterruptedException {
        HttpRoutes routes = new HttpRoutes(
                () -> "# metrics\n",
                () -> new HttpRoutes.Health(true, "{\"status\":\"UP\"}"),
                request -> ApiResponse.json(
                        200, ("{\"path\":\"" + request.path() + "\"}").getBytes(StandardCharsets.UTF_8)),
                apiExecutor,
                meters);
        return HttpServer.start("127.0.0.1", 0, options, group, group, routes, meters, null);
    }

    private double refused(String reason) {
        var counter = registry.find("rigtel.http.refused").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    /** A connection from {@code from} that got an answer: the server has it open. */
    private RawHttpClient answered(String from, HttpServer to) {
        RawHttpClient client = RawHttpClient.openFrom(from, to.port());
        assertThat(client.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
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
        group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        apiExecutor.shutdownNow();
    }

    @Test
    void answersPipelinedRequestsInTheOrderTheyCame() throws InterruptedException {
        server = start(HttpServerOptions.DEFAULTS);
        // /api/... is answered on a worker, /health on the event loop: written in one packet, the
        // /health answer was written while the API request still waited for its worker.
        try (RawHttpClient client = RawHttpClient.open(server.port())) {
            client.send("GET /api/takes/t1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + "GET /api/takes/t2 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

            assertThat(client.read().body()).isEqualTo("{\"path\":\"/api/takes/t1\"}");
            assertThat(client.read().body()).isEqualTo("{\"status\":\"UP\"}");
            assertThat(client.read().body()).isEqualTo("{\"path\":\"/api/takes/t2\"}");
            assertThat(client.read().body()).isEqualTo("# metrics\n");
        }
    }

    @Test
    void closesAConnectionOverThePerAddressCapWhileAnotherAddressStillConnects() throws InterruptedException {
        HttpServer capped = server = start(new HttpServerOptions(256, 2, Duration.ofSeconds(10)));
        List<RawHttpClient> open = new ArrayList<>();
        try {
            open.add(answered("127.0.0.1", capped));
            open.add(answered("127.0.0.1", capped));

            try (RawHttpClient third = RawHttpClient.openFrom("127.0.0.1", capped.port())) {
                assertThat(third.closedByServer(Duration.ofSeconds(5))).isTrue();
            }
            open.add(answered("127.0.0.2", capped));
            assertThat(refused("address-limit")).isEqualTo(1.0);

            // Once one of the two closes, the address may connect again.
            open.remove(0).close();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                try (RawHttpClient again = answered("127.0.0.1", capped)) {
                    assertThat(again).isNotNull();
                }
            });
        } finally {
            open.forEach(RawHttpClient::close);
        }
    }

    @Test
    void closesAConnectionOverTheTotalCap() throws InterruptedException {
        HttpServer capped = server = start(new HttpServerOptions(3, 2, Duration.ofSeconds(10)));
        List<RawHttpClient> open = new ArrayList<>();
        try {
            open.add(answered("127.0.0.1", capped));
            open.add(answered("127.0.0.2", capped));
            open.add(answered("127.0.0.3", capped));

            try (RawHttpClient fourth = RawHttpClient.openFrom("127.0.0.4", capped.port())) {
                assertThat(fourth.closedByServer(Duration.ofSeconds(5))).isTrue();
            }
            assertThat(refused("connection-limit")).isEqualTo(1.0);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                            registry.get("rigtel.http.connections").gauge().value())
                    .isEqualTo(3.0));
        } finally {
            open.forEach(RawHttpClient::close);
        }
    }
}
