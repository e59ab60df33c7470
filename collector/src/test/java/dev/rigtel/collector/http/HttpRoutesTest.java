package dev.rigtel.collector.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rigtel.collector.api.ApiRequest;
import dev.rigtel.collector.api.ApiResponse;
import dev.rigtel.collector.metrics.HttpMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpRoutesTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<ApiRequest> seen = new CopyOnWriteArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel(
            new HttpServerCodec(),
            new HttpObjectAggregator(64 * 1024),
            new HttpRoutes(
                    () -> "",
                    () -> new HttpRoutes.Health(true, "{}"),
                    request -> {
                        seen.add(request);
                        return ApiResponse.error(404, "no such take");
                    },
                    Runnable::run,
                    new HttpMeters(registry)));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private String get(String target) {
        channel.writeInbound(
                Unpooled.copiedBuffer("GET " + target + " HTTP/1.1\r\nHost: c\r\n\r\n", StandardCharsets.UTF_8));
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
    void answersABadPercentEscapeWith400AndCountsIt() {
        assertThat(get("/api/takes/%zz")).startsWith("HTTP/1.1 400").contains("malformed URI");
        assertThat(get("/api/takes?date=%zz")).startsWith("HTTP/1.1 400");
        assertThat(seen).isEmpty();
        assertThat(registry.find("rigtel.http.responses")
                        .tag("status", "400")
                        .counter()
                        .count())
                .isEqualTo(2.0);
    }

    @Test
    void handsTheApiThePathAsSentForItToDecodeOnce() {
        assertThat(get("/api/people/50%25%20Zo%C3%AB/takes?date=2026-11-21")).startsWith("HTTP/1.1 404");
        assertThat(seen).extracting(ApiRequest::path).containsExactly("/api/people/50%25%20Zo%C3%AB/takes");
        assertThat(seen.get(0).param("date")).contains("2026-11-21");
    }
}
