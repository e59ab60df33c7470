package dev.rigtel.collector.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigtel.collector.api.ApiResponse;
import dev.rigtel.collector.metrics.HttpMeters;
import dev.rigtel.common.http.HttpServerOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole HTTP pipeline in memory, on the embedded event loop's clock (frozen, moved by the test):
 * how long a request may take to arrive, and that a slow answer is never cut.
 */
class HttpServerInitializerTest {

    private static final String REQUEST = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HttpMeters meters = new HttpMeters(registry);
    /** The API's worker, run by the test. */
    private final List<Runnable> apiTasks = new ArrayList<>();

    private EmbeddedChannel channel;

    @BeforeEach
    void start() {
        channel = channel(new HttpServerOptions(256, 32, Duration.ofSeconds(10), Set.of("rigtel.local")));
    }

    private EmbeddedChannel channel(HttpServerOptions options) {
        HttpRoutes routes = new HttpRoutes(
                () -> "",
                () -> new HttpRoutes.Health(true, "{\"status\":\"UP\"}"),
                request -> ApiResponse.json(200, "{}".getBytes(StandardCharsets.UTF_8)),
                apiTasks::add,
                meters);
        EmbeddedChannel channel =
                new EmbeddedChannel(new HttpServerInitializer(options, routes, meters, null, Clock.systemUTC()));
        channel.freezeTime();
        return channel;
    }

    @AfterEach
    void stop() {
        channel.finishAndReleaseAll();
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

    private double count(String name, String tag, String value) {
        Counter counter = registry.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aClientSendingOneByteASecondGets408AtTheDeadline() {
        // Each byte would reset a read timeout; the deadline counts from the request's first byte.
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
        assertThat(count("rigtel.http.refused", "reason", "request-timeout")).isEqualTo(1.0);
        assertThat(count("rigtel.http.responses", "status", "408")).isEqualTo(1.0);
    }

    @Test
    void theDeadlineStartsAgainWithEachRequest() {
        send(REQUEST);
        assertThat(outbound()).startsWith("HTTP/1.1 200");
        advance(8);
        send("GET /health HTTP/1.1\r\n");
        advance(8);
        send("Host: 127.0.0.1\r\n\r\n");

        assertThat(outbound()).startsWith("HTTP/1.1 200");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aSlowAnswerIsNeverCut() {
        send("GET /api/takes/t1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        // Longer than the request deadline and the idle timeout: the client waits, sending nothing.
        advance(120);
        assertThat(channel.isOpen()).isTrue();

        apiTasks.remove(0).run();

        assertThat(outbound()).startsWith("HTTP/1.1 200");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void anIdleConnectionIsClosedWithoutAnAnswer() {
        send(REQUEST);
        assertThat(outbound()).startsWith("HTTP/1.1 200");

        advance(HttpServerInitializer.IDLE_SECONDS - 1);
        assertThat(channel.isOpen()).isTrue();
        advance(1);

        assertThat(channel.isOpen()).isFalse();
        assertThat(outbound()).as("nothing was asked: no 408").isEmpty();
        assertThat(count("rigtel.http.refused", "reason", "request-timeout")).isZero();
    }

    private String getWithHost(String host) {
        send("GET /health HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
        return outbound();
    }

    @Test
    void answersIpLiteralsLocalhostAndListedNames() {
        assertThat(getWithHost("127.0.0.1")).startsWith("HTTP/1.1 200");
        assertThat(getWithHost("192.168.10.20:8080")).startsWith("HTTP/1.1 200");
        assertThat(getWithHost("[::1]:8080")).startsWith("HTTP/1.1 200");
        assertThat(getWithHost("localhost:8080")).startsWith("HTTP/1.1 200");
        assertThat(getWithHost("Rigtel.Local:8080")).as("listed, in any case").startsWith("HTTP/1.1 200");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void refusesAnUnknownNameWith421AndCountsIt() {
        // A page of evil.example whose name now resolves to this server (DNS rebinding).
        assertThat(getWithHost("evil.example:8080"))
                .startsWith("HTTP/1.1 421 Misdirected Request")
                .doesNotContain("\"status\":\"UP\"");
        assertThat(getWithHost("rigtel.local.evil.example")).startsWith("HTTP/1.1 421");
        assertThat(count("rigtel.http.refused", "reason", "unknown-host")).isEqualTo(2.0);
        assertThat(count("rigtel.http.responses", "status", "421")).isEqualTo(2.0);
        // The connection stays usable for a request to a name it answers for.
        assertThat(getWithHost("127.0.0.1")).startsWith("HTTP/1.1 200");
    }

    @Test
    void anAbsoluteRequestTargetIsJudgedByItsAuthority() {
        send("GET http://evil.example/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(outbound()).startsWith("HTTP/1.1 421");
        // Past the check (the routes then know origin-form paths only: 404, not 421).
        send("GET http://127.0.0.1:8080/health HTTP/1.1\r\nHost: evil.example\r\n\r\n");
        assertThat(outbound()).startsWith("HTTP/1.1 404");
        assertThat(count("rigtel.http.refused", "reason", "unknown-host")).isEqualTo(1.0);
    }

    @Test
    void aStarAllowsAnyName() {
        channel.finishAndReleaseAll();
        channel = channel(new HttpServerOptions(256, 32, Duration.ofSeconds(10), Set.of("*")));

        assertThat(getWithHost("anything.example")).startsWith("HTTP/1.1 200");
    }

    @Test
    void aRequestWithoutOrWithTwoHostsIsAnswered400() {
        send("GET /health HTTP/1.1\r\n\r\n");
        assertThat(outbound()).startsWith("HTTP/1.1 400");
        channel.finishAndReleaseAll();
        channel = channel(HttpServerOptions.DEFAULTS);
        send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n\r\n");
        assertThat(outbound()).startsWith("HTTP/1.1 400");
        assertThat(count("rigtel.http.refused", "reason", "bad-host")).isEqualTo(2.0);
    }
}
