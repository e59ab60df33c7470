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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The proxy with several collector URLs: stand-ins (the JDK's HttpServer) and a port nobody listens on. */
class ApiProxyFailoverTest {

    private final DashboardMeters meters = new DashboardMeters(new SimpleMeterRegistry());
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final List<HttpServer> servers = new ArrayList<>();
    /** Which stand-in saw which request, in order: "a GET /api/rigs". */
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(server -> server.stop(0));
        executor.shutdownNow();
    }

    /** A stand-in collector that answers every request with {@code status}, its body naming it. */
    private URI collector(String name, AtomicInteger status) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            seen.add(name + " " + exchange.getRequestMethod() + " " + exchange.getRequestURI());
            byte[] answer = ("{\"from\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status.get(), answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        servers.add(server);
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static URI dead() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }

    private ApiProxy proxy(URI... urls) {
        return new ApiProxy(List.of(urls), "dashboard", "s3cret", Duration.ofSeconds(5), 64 * 1024, meters, executor);
    }

    private static String from(ApiProxy.Answer answer) {
        return new String(answer.body(), StandardCharsets.UTF_8);
    }

    private static ApiProxy.Answer send(ApiProxy proxy, String method, String uri) throws Exception {
        return proxy.forward(method, uri, "{}".getBytes(StandardCharsets.UTF_8), null)
                .get(10, TimeUnit.SECONDS);
    }

    private double failovers(String reason) {
        return meters.count(DashboardMeters.PROXY_FAILOVERS, "reason", reason);
    }

    @Test
    void aReadGoesOnPastADeadFirstCollectorAndStaysWithTheOneThatAnswered() throws Exception {
        URI b = collector("b", new AtomicInteger(200));
        ApiProxy proxy = proxy(dead(), b);

        ApiProxy.Answer first = send(proxy, "GET", "/api/rigs");
        ApiProxy.Answer second = send(proxy, "GET", "/api/rigs?x=1");

        assertThat(first.status()).isEqualTo(200);
        assertThat(from(first)).isEqualTo("{\"from\":\"b\"}");
        assertThat(second.status()).isEqualTo(200);
        // The second request went straight to b: one failover in all.
        assertThat(failovers("unreachable")).isEqualTo(1);
        assertThat(proxy.currentUrl()).isEqualTo(b.toString());
        assertThat(seen).containsExactly("b GET /api/rigs", "b GET /api/rigs?x=1");
    }

    @Test
    void triesTheCollectorsInOrderOn503And502AndRoundToTheStart() throws Exception {
        AtomicInteger aStatus = new AtomicInteger(503);
        AtomicInteger bStatus = new AtomicInteger(502);
        AtomicInteger cStatus = new AtomicInteger(200);
        ApiProxy proxy = proxy(collector("a", aStatus), collector("b", bStatus), collector("c", cStatus));

        assertThat(from(send(proxy, "GET", "/api/rigs"))).isEqualTo("{\"from\":\"c\"}");
        assertThat(seen).containsExactly("a GET /api/rigs", "b GET /api/rigs", "c GET /api/rigs");
        assertThat(failovers("unavailable")).isEqualTo(1);
        assertThat(failovers("bad-gateway")).isEqualTo(1);

        // c now fails, a is back: from c (the last good one) round to a.
        seen.clear();
        cStatus.set(503);
        aStatus.set(200);
        assertThat(from(send(proxy, "GET", "/api/rigs"))).isEqualTo("{\"from\":\"a\"}");
        assertThat(seen).containsExactly("c GET /api/rigs", "a GET /api/rigs");
    }

    @Test
    void aClientErrorIsTheAnswerAndNoFailover() throws Exception {
        AtomicInteger bStatus = new AtomicInteger(200);
        ApiProxy proxy = proxy(collector("a", new AtomicInteger(404)), collector("b", bStatus));

        ApiProxy.Answer answer = send(proxy, "GET", "/api/takes/nope");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(seen).containsExactly("a GET /api/takes/nope");
        assertThat(meters.registry().find(DashboardMeters.PROXY_FAILOVERS).counters())
                .isEmpty();
    }

    @Test
    void aSlateEventGoesToTheNextCollectorWhenTheFirstIsDeadOrUnavailable() throws Exception {
        ApiProxy proxy = proxy(dead(), collector("b", new AtomicInteger(503)), collector("c", new AtomicInteger(201)));

        ApiProxy.Answer answer = send(proxy, "POST", "/api/slate");

        assertThat(answer.status()).isEqualTo(201);
        assertThat(seen).containsExactly("b POST /api/slate", "c POST /api/slate");
    }

    @Test
    void whenEveryCollectorFailsTheLastFailureIsTheAnswer() throws Exception {
        ApiProxy proxy = proxy(collector("a", new AtomicInteger(503)), dead());

        ApiProxy.Answer answer = send(proxy, "GET", "/api/rigs");

        assertThat(answer.status()).isEqualTo(502);
        assertThat(from(answer)).contains("cannot be reached");
        assertThat(failovers("unavailable")).isEqualTo(1);
        assertThat(failovers("unreachable")).isZero();
    }

    @Test
    void aPostIsNotSentTwiceWhenItsConnectionBrokeAfterItWasSent() {
        ApiProxy.Answer broken = ApiProxy.Answer.error(502, "closed");
        assertThat(ApiProxy.failoverReason("POST", new ApiProxy.Sent(broken, "unreachable", true)))
                .isNull();
        assertThat(ApiProxy.failoverReason("GET", new ApiProxy.Sent(broken, "unreachable", true)))
                .isEqualTo("unreachable");
        assertThat(ApiProxy.failoverReason("POST", new ApiProxy.Sent(broken, "unreachable", false)))
                .isEqualTo("unreachable");
        assertThat(ApiProxy.failoverReason(
                        "GET", new ApiProxy.Sent(ApiProxy.Answer.error(504, "slow"), "timeout", true)))
                .isNull();
        assertThat(ApiProxy.failoverReason("GET", new ApiProxy.Sent(ApiProxy.Answer.error(500, "bug"), "5xx", true)))
                .isNull();
    }
}
