package dev.rigtel.collector.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigtel.collector.api.ApiResponse;
import dev.rigtel.collector.metrics.HttpMeters;
import dev.rigtel.collector.testing.RawHttpClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.charset.StandardCharsets;
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
        HttpRoutes routes = new HttpRoutes(
                () -> "# metrics\n",
                () -> new HttpRoutes.Health(true, "{\"status\":\"UP\"}"),
                request -> ApiResponse.json(
                        200, ("{\"path\":\"" + request.path() + "\"}").getBytes(StandardCharsets.UTF_8)),
                apiExecutor,
                meters);
        server = HttpServer.start("127.0.0.1", 0, group, group, routes, null);
    }

    @AfterEach
    void stop() {
        server.close();
        group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        apiExecutor.shutdownNow();
    }

    @Test
    void answersPipelinedRequestsInTheOrderTheyCame() {
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
}
